package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.List;

/**
 * What one reviewer call did, kept for audit in {@code calls.jsonl}: every call ends in exactly
 * one of these, whether the reviewer answered, crashed, timed out or printed something that is not
 * a list of findings. A file that could not be reviewed at all (binary, unreadable) gets one record
 * with status {@code skipped} and no reviewer.
 *
 * @param target the file's target id
 * @param path the file's path
 * @param chunkStart first line of the chunk
 * @param chunkEnd last line of the chunk
 * @param rules the ids of the rules asked
 * @param reviewer the reviewer's id (empty for a skipped file)
 * @param reviewerKind how the reviewer works, e.g. {@code command}
 * @param sample the sample index
 * @param status {@code ok}, {@code failed} or {@code skipped}
 * @param reason why it failed or was skipped (empty when ok)
 * @param findings how many findings the call reported
 * @param durationMs how long the call took
 * @param log the tail of what the reviewer wrote to standard error (and, when it failed, what it
 *     printed)
 */
public record ReviewCall(
    String target,
    String path,
    int chunkStart,
    int chunkEnd,
    List<String> rules,
    String reviewer,
    String reviewerKind,
    int sample,
    String status,
    String reason,
    int findings,
    long durationMs,
    String log)
    implements Serializable {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  public ReviewCall {
    rules = rules == null ? List.of() : List.copyOf(rules);
    reason = reason == null ? "" : reason;
    log = log == null ? "" : log;
  }

  public String fileKey() {
    return SourceFile.key(target, path);
  }

  public boolean failed() {
    return FAILED.equals(status);
  }

  /** Whether this record is an agent call (not a skipped file). */
  public boolean agentCall() {
    return !SKIPPED.equals(status);
  }
}
