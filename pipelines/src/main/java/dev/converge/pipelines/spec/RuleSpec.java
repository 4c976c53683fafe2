package dev.converge.pipelines.spec;

import java.util.List;

/**
 * A rule of a review job: what reviewers check files against.
 *
 * @param id unique rule id; the SARIF {@code ruleId}
 * @param title one line, shown in reports and SARIF
 * @param description what the rule asks for and why; handed to reviewers and the verifier
 * @param severity {@code critical}, {@code high}, {@code medium} (default) or {@code low}
 * @param files globs of the target paths the rule applies to (default: every file);
 *     {@code **}{@code /x} also matches {@code x} in the top folder
 */
public record RuleSpec(String id, String title, String description, String severity, List<String> files) {
  public RuleSpec {
    files = files == null ? List.of() : List.copyOf(files);
  }
}
