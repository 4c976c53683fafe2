package dev.converge.transforms.report;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Verification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code summary.json} holds: one job's counts.
 *
 * @param spec the spec's name
 * @param runner the runner profile the job ran on
 * @param tasks number of tasks (each counted once, in exactly one state)
 * @param states tasks per terminal state; always has all four states
 * @param candidates candidates produced over all tasks (repairs included)
 * @param agentCalls agent calls made by this run (one per candidate or verification that was not
 *     answered from the cache or refused by the budget; retries of a call are not counted again)
 * @param cacheHits candidates and verifications answered from the cache instead of a call
 * @param verifications verifier judgements over all tasks
 * @param repairs repair rounds over all tasks
 * @param tokens input plus output tokens of the calls made by this run (cache hits cost nothing)
 * @param costUsd what the calls made by this run cost, by the spec's price table
 * @param wallSeconds the job's wall time
 */
public record Summary(
    String spec,
    String runner,
    int tasks,
    Map<String, Integer> states,
    int candidates,
    int agentCalls,
    int cacheHits,
    int verifications,
    int repairs,
    long tokens,
    double costUsd,
    double wallSeconds) {

  public static Summary of(String spec, String runner, List<Outcome> outcomes, double wallSeconds) {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (TaskState state : TaskState.values()) {
      states.put(state.label(), 0);
    }
    outcomes.forEach(o -> states.merge(o.state().label(), 1, Integer::sum));
    List<Candidate> all = outcomes.stream().flatMap(Outcome::allCandidates).toList();
    List<Verification> verifications =
        outcomes.stream().flatMap(o -> o.verifications().stream()).toList();
    List<Candidate> called = all.stream().filter(Candidate::calledAgent).toList();
    List<Verification> verified = verifications.stream().filter(v -> !v.cached()).toList();
    return new Summary(
        spec,
        runner,
        outcomes.size(),
        states,
        all.size(),
        called.size() + verified.size(),
        (int) (all.stream().filter(Candidate::cached).count()
            + verifications.stream().filter(Verification::cached).count()),
        verifications.size(),
        outcomes.stream().mapToInt(o -> o.repairs().size()).sum(),
        called.stream().mapToLong(Candidate::tokens).sum()
            + verified.stream().mapToLong(Verification::tokens).sum(),
        Math.round(
                (called.stream().mapToDouble(Candidate::costUsd).sum()
                        + verified.stream().mapToDouble(Verification::costUsd).sum())
                    * 1e6)
            / 1e6,
        Math.round(wallSeconds * 1000) / 1000.0);
  }

  public int count(TaskState state) {
    return states.getOrDefault(state.label(), 0);
  }
}
