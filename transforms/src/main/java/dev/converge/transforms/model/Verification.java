package dev.converge.transforms.model;

import java.util.List;

/**
 * A verifier agent's judgement of one patch of a task. Verifiers answer a fixed JSON schema
 * ({@code {"verdict": "pass"|"fail", "reasons": [...], "locations": [{"file", "line"}],
 * "score": 0..1}}); an answer that does not fit it, a crash or a timeout is a verification that is
 * not {@code valid} and never accepts.
 *
 * @param stage {@code verify} (the loop that can send a patch to repair) or {@code final} (the
 *     last check before a task is merged)
 * @param round 0 for the vote's winner, r for the patch of repair round r
 * @param verifierId the verifier agent
 * @param verifierKind how the verifier works ({@code command}, {@code openai}, {@code simulated}, ...)
 * @param patchHash the normalized hash of the judged patch
 * @param accepted whether the verifier passed the patch
 * @param valid whether the verifier gave an answer in the schema
 * @param score the verifier's score in [0, 1] (1 when it gave none and passed, 0 when it failed)
 * @param reasons why, in the verifier's words (or why the verification failed)
 * @param locations {@code file:line} places the verifier points at
 * @param durationMs how long the call took
 * @param cached whether the verdict came from the cache
 * @param inputTokens prompt tokens (0 when unknown)
 * @param outputTokens answer tokens (0 when unknown)
 * @param costUsd the call's cost by the spec's price table
 */
public record Verification(
    String stage,
    int round,
    String verifierId,
    String verifierKind,
    String patchHash,
    boolean accepted,
    boolean valid,
    double score,
    List<String> reasons,
    List<String> locations,
    long durationMs,
    boolean cached,
    long inputTokens,
    long outputTokens,
    double costUsd) {

  public static final String VERIFY = "verify";
  public static final String FINAL = "final";

  public Verification {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    locations = locations == null ? List.of() : List.copyOf(locations);
  }

  public long tokens() {
    return inputTokens + outputTokens;
  }

  /** The same judgement answered from the cache for the {@code newStage} of round {@code newRound}. */
  public Verification asCachedAt(String newStage, int newRound) {
    return new Verification(
        newStage, newRound, verifierId, verifierKind, patchHash, accepted, valid, score, reasons,
        locations, durationMs, true, inputTokens, outputTokens, costUsd);
  }

  /** One line for a task's reason: {@code verifier v rejected: first reason (and 2 more)}. */
  public String describe() {
    String said =
        reasons.isEmpty()
            ? "no reason given"
            : reasons.get(0) + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : "");
    if (!valid) {
      return "verifier " + verifierId + " failed: " + said;
    }
    return "verifier " + verifierId + (accepted ? " accepted: " : " rejected: ") + said;
  }
}
