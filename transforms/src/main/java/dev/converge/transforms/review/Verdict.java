package dev.converge.transforms.review;

import java.io.Serializable;

/**
 * The adversarial verifier's judgement of a finding.
 *
 * @param verifier the verifier agent's id
 * @param status {@code confirmed}, {@code refuted}, or {@code failed} when the verifier crashed,
 *     timed out or did not print a valid verdict
 * @param reason the verifier's reason, or why the verification failed
 * @param durationMs how long the call took
 * @param log the tail of what the verifier wrote to standard error (and, when it failed, printed)
 */
public record Verdict(String verifier, String status, String reason, long durationMs, String log)
    implements Serializable {
  public static final String CONFIRMED = "confirmed";
  public static final String REFUTED = "refuted";
  public static final String FAILED = "failed";

  public Verdict {
    reason = reason == null ? "" : reason;
    log = log == null ? "" : log;
  }
}
