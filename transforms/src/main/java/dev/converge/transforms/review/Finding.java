package dev.converge.transforms.review;

import java.io.Serializable;

/**
 * One finding as one reviewer call reported it.
 *
 * @param target the file's target id
 * @param path the file's path in its target
 * @param rule the id of the rule it breaks
 * @param severity the rule's severity
 * @param startLine first line of the finding (1-based, in the whole file)
 * @param endLine last line (inclusive)
 * @param message what the reviewer says is wrong
 * @param reviewer the id of the reviewer agent
 * @param sample the sample index of the call
 * @param snippet the text of lines {@code startLine..endLine}
 * @param context the text around the finding that the chunk holds (up to {@link
 *     #CONTEXT_LINES} lines before and after)
 * @param contextStartLine the line number of the first line of {@code context}
 */
public record Finding(
    String target,
    String path,
    String rule,
    Severity severity,
    int startLine,
    int endLine,
    String message,
    String reviewer,
    int sample,
    String snippet,
    String context,
    int contextStartLine)
    implements Serializable {

  /** Lines of context kept on each side of a finding, for the verifier and the reports. */
  public static final int CONTEXT_LINES = 20;

  public String fileKey() {
    return SourceFile.key(target, path);
  }

  /** {@code reviewer#sample}, as shown in reports. */
  public String label() {
    return reviewer + "#" + sample;
  }
}
