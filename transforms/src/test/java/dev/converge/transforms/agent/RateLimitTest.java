package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits on a fake clock: nothing here waits in real time. */
class RateLimitTest {
  @TempDir Path tmp;

  @Test
  void aWindowLimiterNeverLetsMoreThanItsCapacityThroughInOneWindow() throws Exception {
    FakeTime time = new FakeTime();
    WindowLimiter limiter = WindowLimiter.perMinute(5, time);
    List<Long> granted = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      granted.add(limiter.acquire(1).grantedAtMillis());
    }
    assertEquals(5, maxInAnyWindow(granted, 60_000));
    // bursts are allowed: the first five go at once, then one window later the next five
    long start = granted.get(0);
    assertEquals(start, granted.get(4));
    assertEquals(start + 60_000, granted.get(5));
  }

  @Test
  void tokenAmountsAreCorrectedToWhatWasReallyUsed() throws Exception {
    FakeTime time = new FakeTime();
    WindowLimiter limiter = WindowLimiter.perMinute(1000, time);
    WindowLimiter.Permit permit = limiter.acquire(900);
    permit.settle(100);
    long before = time.nowMillis();
    limiter.acquire(900);
    assertEquals(before, time.nowMillis(), "900 + 100 fit into 1000 without waiting");
    assertEquals(1000, limiter.inWindow());
    limiter.acquire(5000); // more than the capacity waits for an empty window instead of forever
    assertEquals(before + 60_000, time.nowMillis());
  }

  @Test
  void anRpmLimitIsNeverExceededInAnySixtySecondWindowOfASimulatedRun() {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(GitRepos.task(String.format("t%02d", i), repo, base));
    }
    FakeTime time = new FakeTime();
    int rpm = 20;
    SimulatedAgent agent =
        SimulatedAgent.of("sim")
            .withSeed(5)
            .withLatency(Duration.ofSeconds(2))
            .withLatencyDistribution(SimulatedAgent.LatencyDistribution.EXPONENTIAL)
            .withLimits(CallLimits.DEFAULT.withConcurrency(6).withRequestsPerMinute(rpm));

    List<Candidate> candidates = Engine.of(tmp.resolve("work"), agent).time(time).run(tasks, 12);

    assertEquals(120, candidates.size());
    List<Long> starts = new ArrayList<>();
    for (Candidate c : candidates) {
      assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
      assertEquals(1, c.attempts());
      starts.add(c.startedAtMs());
    }
    assertEquals(rpm, maxInAnyWindow(starts, 60_000), "the limit is reached but never exceeded");
    long span = starts.stream().mapToLong(Long::longValue).max().orElseThrow()
        - starts.stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(span >= 5 * 60_000, "120 requests at 20 a minute need at least 5 minutes, took " + span + " ms");
  }

  @Test
  void requestsOfAgentsOfOneProviderShareItsLimit() {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    FakeTime time = new FakeTime();
    Secrets none = name -> null;
    // Two OpenAI agents on one endpoint and key: one provider, the stricter RPM applies to both.
    OpenAiAgent a = OpenAiAgent.of("a", "m").withBaseUrl("http://127.0.0.1:9").withSecrets(none)
        .withLimits(CallLimits.DEFAULT.withRequestsPerMinute(30));
    OpenAiAgent b = OpenAiAgent.of("b", "m").withBaseUrl("http://127.0.0.1:9").withSecrets(none)
        .withLimits(CallLimits.DEFAULT.withRequestsPerMinute(10).withConcurrency(3));
    Map<String, CallLimits> shared = ImplementTasks.sharedLimits(List.of(a, b));
    assertEquals(1, shared.size());
    CallLimits limits = shared.get(a.providerKey());
    assertEquals(10, limits.requestsPerMinute());
    assertEquals(3, limits.concurrency());
    assertTrue(Engine.of(tmp.resolve("work"), a, b).time(time).run(List.of(GitRepos.task("t", repo, base)), 1)
        .stream().allMatch(c -> c.reason().contains("is not set")));
  }

  /** The largest number of times in any half-open window [t, t + window) that starts at a time. */
  static int maxInAnyWindow(List<Long> times, long window) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int max = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end) < sorted.get(start) + window) {
        end++;
      }
      max = Math.max(max, end - start);
    }
    return max;
  }
}
