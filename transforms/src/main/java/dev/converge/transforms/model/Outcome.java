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
 */
public record Outcome(
    Task task,
    TaskState state,
    String reason,
    List<Candidate> candidates,
    List<VoteCluster> votes,
    String patch) {

  public Outcome {
    candidates = List.copyOf(candidates);
    votes = List.copyOf(votes);
    patch = patch == null ? "" : patch;
  }

  /** Tokens of all the task's candidates (as recorded, cached ones included); written to results. */
  @JsonProperty("tokens")
  public long tokens() {
    return candidates.stream().mapToLong(Candidate::tokens).sum();
  }

  /** What the task's candidates cost in USD (as recorded, cached ones included); written to results. */
  @JsonProperty("costUsd")
  public double costUsd() {
    return Math.round(candidates.stream().mapToDouble(Candidate::costUsd).sum() * 1e6) / 1e6;
  }

  public Outcome withState(TaskState newState, String newReason) {
    return new Outcome(task, newState, newReason, candidates, votes, patch);
  }
}
