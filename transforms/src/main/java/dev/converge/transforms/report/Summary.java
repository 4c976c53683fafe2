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
 * @param agents per agent id: the calls made by this run, cache hits, tokens and cost (verifier
 *     calls included)
 * @param tiers with a model cascade, per tier: how many tasks reached it and how many it merged
 *     (empty without a cascade)
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
    double wallSeconds,
    Map<String, AgentUsage> agents,
    List<TierStats> tiers) {

  /** What one agent's calls took. */
  public record AgentUsage(int calls, int cacheHits, long tokens, double costUsd) {
    AgentUsage plus(boolean cached, long moreTokens, double moreCost) {
      return cached
          ? new AgentUsage(calls, cacheHits + 1, tokens, costUsd)
          : new AgentUsage(calls + 1, cacheHits, tokens + moreTokens, Math.round((costUsd + moreCost) * 1e9) / 1e9);
    }
  }

  /**
   * One tier of a cascade.
   *
   * @param tier 1 for the first (cheapest) tier
   * @param reached tasks whose agents of this tier were asked
   * @param merged tasks this tier merged
   */
  public record TierStats(int tier, int reached, int merged) {}

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
        Math.round(wallSeconds * 1000) / 1000.0,
        usagePerAgent(outcomes),
        tiers(outcomes));
  }

  /** Per agent id, sorted: calls made, cache hits, tokens and cost, verifier calls included. */
  public static Map<String, AgentUsage> usagePerAgent(List<Outcome> outcomes) {
    Map<String, AgentUsage> usage = new java.util.TreeMap<>();
    AgentUsage none = new AgentUsage(0, 0, 0, 0);
    outcomes.stream()
        .flatMap(Outcome::allCandidates)
        .filter(c -> c.cached() || c.calledAgent())
        .forEach(c -> usage.put(c.agentId(), usage.getOrDefault(c.agentId(), none).plus(c.cached(), c.tokens(), c.costUsd())));
    outcomes.stream()
        .flatMap(o -> o.verifications().stream())
        .forEach(v -> usage.put(v.verifierId(), usage.getOrDefault(v.verifierId(), none).plus(v.cached(), v.tokens(), v.costUsd())));
    return usage;
  }

  private static List<TierStats> tiers(List<Outcome> outcomes) {
    int deepest = outcomes.stream().mapToInt(Outcome::tier).max().orElse(0);
    List<TierStats> tiers = new java.util.ArrayList<>();
    for (int tier = 1; tier <= deepest; tier++) {
      int t = tier;
      tiers.add(
          new TierStats(
              tier,
              (int) outcomes.stream().filter(o -> o.tier() >= t).count(),
              (int) outcomes.stream().filter(o -> o.tier() == t && o.state() == TaskState.MERGED).count()));
    }
    return tiers;
  }

  public int count(TaskState state) {
    return states.getOrDefault(state.label(), 0);
  }
}
