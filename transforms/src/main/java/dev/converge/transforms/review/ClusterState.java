package dev.converge.transforms.review;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * The state of a cluster of findings. Every cluster ends in exactly one; only the reported states
 * reach {@code findings.sarif} and {@code findings.jsonl}, the others stay in {@code results.jsonl}
 * for audit.
 */
public enum ClusterState {
  /** Reached the quorum and the verifier confirmed it. */
  CONFIRMED("confirmed", true),
  /** Reached the quorum; the job has no verifier. */
  ACCEPTED("accepted", true),
  /** Reached the quorum, but the verification failed and failed verifications are reported. */
  UNVERIFIED("unverified", true),
  /** Reported by an earlier run in a file that has not changed since. */
  CARRIED("carried", true),
  /** Too few reviewers reported it. */
  NO_QUORUM("no-quorum", false),
  /** The verifier refuted it. */
  REFUTED("refuted", false),
  /** The verification failed and failed verifications are dropped. */
  VERIFY_FAILED("verify-failed", false),
  /** Reported by an earlier run, but its file was deleted, or changed and reviewed without it. */
  FIXED("fixed", false);

  private final String label;
  private final boolean reported;

  ClusterState(String label, boolean reported) {
    this.label = label;
    this.reported = reported;
  }

  @JsonValue
  public String label() {
    return label;
  }

  @JsonCreator
  public static ClusterState of(String label) {
    return Arrays.stream(values())
        .filter(s -> s.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown cluster state '" + label + "'"));
  }

  /** Whether clusters in this state are findings of the report. */
  public boolean reported() {
    return reported;
  }
}
