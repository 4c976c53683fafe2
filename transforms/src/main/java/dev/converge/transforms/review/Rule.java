package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A rule reviewers check files against.
 *
 * @param id unique rule id, used in findings and as the SARIF {@code ruleId}
 * @param title one line, the SARIF short description
 * @param description what the rule asks for and why (may be empty)
 * @param severity how serious its findings are
 * @param files globs of the file paths the rule applies to; empty for every file
 */
public record Rule(String id, String title, String description, Severity severity, List<String> files)
    implements Serializable {
  public Rule {
    Objects.requireNonNull(id, "id");
    title = title == null ? id : title;
    description = description == null ? "" : description;
    severity = severity == null ? Severity.MEDIUM : severity;
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** Whether the rule applies to the file at {@code path} (relative to its target, with '/'). */
  public boolean appliesTo(String path) {
    return files.isEmpty() || files.stream().anyMatch(glob -> Globs.matches(glob, path));
  }
}
