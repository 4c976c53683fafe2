package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.testing.ReliabilityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budget stops new calls; only calls already in flight may overshoot it. Fake clock. */
class BudgetTest {
  @TempDir Path tmp;
  private Path repo;
  private String base;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
  }

  private List<Task> tasks(int count) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(GitRepos.task(String.format("t%02d", i), repo, base));
    }
    return tasks;
  }

  private static SimulatedAgent agent(int concurrency) {
    return SimulatedAgent.of("sim")
        .withModel("sim-model")
        .withLatency(Duration.ofSeconds(3))
        .withLatencyDistribution(SimulatedAgent.LatencyDistribution.UNIFORM)
        .withLimits(CallLimits.DEFAULT.withConcurrency(concurrency));
  }

  /** Tokens of one call: all tasks have ids of one length, so every call uses the same. */
  private long tokensPerCall() {
    return Engine.of(tmp.resolve("probe"), agent(1)).time(new FakeTime()).runOne(tasks(1).get(0)).tokens();
  }

  @Test
  void aSpentTokenBudgetStopsNewCallsAndOvershootsByAtMostTheCallsInFlight() {
    long perCall = tokensPerCall();
    int concurrency = 4;
    long maxTokens = 10 * perCall + perCall / 2;
    Engine engine =
        Engine.of(tmp.resolve("work"), agent(concurrency))
            .time(new FakeTime())
            .budget(new BudgetLimits(0, maxTokens, 0, 0));

    List<Candidate> candidates = engine.run(tasks(60), 1);

    Budget budget = engine.runtime().budget();
    List<Candidate> called = candidates.stream().filter(Candidate::calledAgent).toList();
    List<Candidate> refused = candidates.stream().filter(c -> !c.calledAgent()).toList();
    assertEquals(60, candidates.size(), "every attempt still gives a candidate");
    assertTrue(budget.tokens() >= maxTokens, "the budget was spent: " + budget.tokens());
    long overshoot = budget.tokens() - maxTokens;
    assertTrue(
        overshoot < concurrency * perCall,
        "overshoot " + overshoot + " is more than " + concurrency + " calls in flight of " + perCall);
    assertEquals(budget.tokens(), called.stream().mapToLong(Candidate::tokens).sum());
    assertTrue(called.size() >= 11 && called.size() <= 10 + concurrency, "calls made: " + called.size());
    for (Candidate c : refused) {
      assertEquals(CandidateStatus.AGENT_FAILED, c.status());
      assertTrue(c.reason().startsWith("budget: the job's budget of " + maxTokens + " tokens is spent"), c.reason());
      assertEquals(0, c.attempts());
      assertEquals(0, c.tokens());
      assertFalse(c.cached());
    }
  }

  @Test
  void retriesUnderFaultsDoNotOvershootByMoreThanTheCallsInFlight() {
    long perCall = tokensPerCall();
    int concurrency = 6;
    long maxTokens = 12 * perCall + perCall / 3;
    SimulatedAgent faulty =
        agent(concurrency)
            .withErrors(new SimulatedAgent.ErrorRates(0.2, 0.2, 0.1, 0))
            .withLimits(CallLimits.DEFAULT.withConcurrency(concurrency).withMaxAttempts(4));
    Engine engine =
        Engine.of(tmp.resolve("work"), faulty).time(new FakeTime()).budget(new BudgetLimits(0, maxTokens, 0, 0));

    List<Candidate> candidates = engine.run(tasks(80), 1);

    long spent = engine.runtime().budget().tokens();
    long overshoot = spent - maxTokens;
    assertEquals(80, candidates.size(), "every attempt still gives a candidate");
    assertTrue(spent >= maxTokens, "the budget was spent: " + spent);
    assertTrue(
        overshoot < concurrency * perCall,
        "overshoot " + overshoot + " is more than " + concurrency + " calls in flight of " + perCall);
    assertEquals(spent, candidates.stream().filter(Candidate::calledAgent).mapToLong(Candidate::tokens).sum());
    long retried = candidates.stream().filter(c -> c.attempts() > 1).count();
    assertTrue(retried > 0, "no call was retried, so no fault was injected");
    ReliabilityLog.named("budget-under-faults")
        .put("calls", candidates.size())
        .put("concurrency", concurrency)
        .put("callsRetried", retried)
        .put("budgetTokens", maxTokens)
        .put("spentTokens", spent)
        .put("overshootTokens", overshoot)
        .put("overshootLimitTokens", concurrency * perCall)
        .write();
  }

  @Test
  void aSpentUsdBudgetStopsNewCalls() {
    long perCall = tokensPerCall();
    double usdPerCall = perCall * 2.0 / 1_000_000; // 2 USD per million tokens, in and out
    Engine engine =
        Engine.of(tmp.resolve("work"), agent(1))
            .time(new FakeTime())
            .prices(Map.of("sim-model", new Price(2, 2)))
            .budget(new BudgetLimits(3 * usdPerCall, 0, 0, 0));

    List<Candidate> candidates = engine.run(tasks(8), 1);

    // One call at a time: nothing is in flight when the limit is reached, so there is no overshoot.
    assertEquals(3, candidates.stream().filter(Candidate::calledAgent).count());
    assertEquals(3 * usdPerCall, engine.runtime().budget().usd(), 1e-12);
    assertEquals(usdPerCall, candidates.get(0).costUsd(), 1e-12);
    assertTrue(candidates.get(7).reason().startsWith("budget: the job's budget of "), candidates.get(7).reason());
  }

  @Test
  void aTaskBudgetStopsOnlyThatTasksCalls() {
    long perCall = tokensPerCall();
    Engine engine =
        Engine.of(tmp.resolve("work"), agent(1))
            .time(new FakeTime())
            .budget(new BudgetLimits(0, 0, 0, 2 * perCall));

    List<Candidate> candidates = engine.run(tasks(2), 5);

    for (String task : List.of("t00", "t01")) {
      List<Candidate> mine = candidates.stream().filter(c -> c.taskId().equals(task)).toList();
      assertEquals(2, mine.stream().filter(Candidate::calledAgent).count(), mine.toString());
      assertTrue(mine.get(4).reason().startsWith("budget: the task's budget of " + 2 * perCall + " tokens"));
    }
  }
}
