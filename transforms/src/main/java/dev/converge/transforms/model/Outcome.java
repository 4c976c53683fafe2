package dev.converge.transforms.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The final state of a task with the evidence for it.
 *
 * @param task the task
 * @param state exactly one terminal state
 * @param reason why the task ended in this state, in words
 * @param candidates every candidate with its test result
 * @param votes the vote clusters, largest first
 * @param patch the accepted patch (empty unless merged or conflict)
 * @param verifications every verifier judgement, in the order they were made
 * @param repairs every repair round, in order
 * @param tier with a cascade, the tier (1 for the first) whose agents decided the task; the
 *     candidates of earlier tiers stay in {@code candidates}; 0 without a cascade
 */
public record Outcome(
    Task task,
    TaskState state,
    String reason,
    List<Candidate> candidates,
    List<VoteCluster> votes,
    String patch,
    List<Verification> verifications,
    List<Repair> repairs,
    int tier) {

  public Outcome {
    candidates = List.copyOf(candidates);
    votes = List.copyOf(votes);
    patch = patch == null ? "" : patch;
    verifications = verifications == null ? List.of() : List.copyOf(verifications);
    repairs = repairs == null ? List.of() : List.copyOf(repairs);
  }

  /** The outcome of the vote, before any verifier or repair agent has seen it. */
  public Outcome(
      Task task,
      TaskState state,
      String reason,
      List<Candidate> candidates,
      List<VoteCluster> votes,
      String patch) {
    this(task, state, reason, candidates, votes, patch, List.of(), List.of(), 0);
  }

  /** The candidates of the vote and of every repair round. */
  public java.util.stream.Stream<Candidate> allCandidates() {
    return java.util.stream.Stream.concat(candidates.stream(), repairs.stream().map(Repair::candidate));
  }

  /**
   * Tokens of all the task's agent calls (candidates, repairs and verifications, as recorded,
   * cached ones included); written to results.
   */
  @JsonProperty("tokens")
  public long tokens() {
    return allCandidates().mapToLong(Candidate::tokens).sum()
        + verifications.stream().mapToLong(Verification::tokens).sum();
  }

  /** What the task's agent calls cost in USD (as recorded, cached ones included); written to results. */
  @JsonProperty("costUsd")
  public double costUsd() {
    double cost =
        allCandidates().mapToDouble(Candidate::costUsd).sum()
            + verifications.stream().mapToDouble(Verification::costUsd).sum();
    return Math.round(cost * 1e6) / 1e6;
  }

  public Outcome withState(TaskState newState, String newReason) {
    return new Outcome(task, newState, newReason, candidates, votes, patch, verifications, repairs, tier);
  }

  /** This outcome in {@code newState} with {@code newPatch} (empty unless merged). */
  public Outcome withDecision(TaskState newState, String newReason, String newPatch) {
    return new Outcome(task, newState, newReason, candidates, votes, newPatch, verifications, repairs, tier);
  }

  /**
   * This outcome, decided by cascade tier {@code newTier}, after {@code earlier} (the same task's
   * outcome in the tier before, which did not settle it): the earlier candidates, verdicts and
   * repairs are kept as evidence, the votes and the decision are this tier's.
   */
  public Outcome afterTier(Outcome earlier, int newTier) {
    List<Candidate> allCandidates = new java.util.ArrayList<>(earlier.candidates);
    allCandidates.addAll(candidates);
    List<Verification> allVerifications = new java.util.ArrayList<>(earlier.verifications);
    allVerifications.addAll(verifications);
    List<Repair> allRepairs = new java.util.ArrayList<>(earlier.repairs);
    allRepairs.addAll(repairs);
    return new Outcome(
        task, state, "tier " + newTier + ": " + reason + " (tier " + earlier.tier + ": " + earlier.reason + ")",
        allCandidates, votes, patch, allVerifications, allRepairs, newTier);
  }

  /** This outcome, decided by cascade tier {@code newTier}. */
  public Outcome atTier(int newTier) {
    return new Outcome(task, state, reason, candidates, votes, patch, verifications, repairs, newTier);
  }

  public Outcome withVerification(Verification verification) {
    List<Verification> all = new java.util.ArrayList<>(verifications);
    all.add(verification);
    return new Outcome(task, state, reason, candidates, votes, patch, all, repairs, tier);
  }

  public Outcome withRepair(Repair repair) {
    List<Repair> all = new java.util.ArrayList<>(repairs);
    all.add(repair);
    return new Outcome(task, state, reason, candidates, votes, patch, verifications, all, tier);
  }
}
