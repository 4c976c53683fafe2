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

/** The simulated agent's error mix, retried on a fake clock. */
class SimulatedAgentTest {
  @TempDir Path tmp;

  private List<Candidate> run(FakeTime time, Path work) {
    Path repo = tmp.resolve("repo");
    String base =
        repo.toFile().exists()
            ? GitRepos.git(repo, "rev-parse", "HEAD").strip()
            : GitRepos.create(repo, Map.of("a.txt", "one\n"));
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tasks.add(GitRepos.task("t" + i, repo, base));
    }
    SimulatedAgent agent =
        SimulatedAgent.of("flaky")
            .withSeed(42)
            .withLatency(Duration.ofMillis(800))
            .withLatencyDistribution(SimulatedAgent.LatencyDistribution.LOGNORMAL)
            .withErrors(new SimulatedAgent.ErrorRates(0.2, 0.1, 0.05, 0.05))
            .withRetryAfter(Duration.ofSeconds(2))
            .withLimits(CallLimits.DEFAULT.withConcurrency(4).withMaxAttempts(8).withTimeout(Duration.ofSeconds(30)));
    return Engine.of(work, agent).time(time).run(tasks, 10);
  }

  @Test
  void errorsAreRetriedAndOnlyMalformedAnswersFail() {
    FakeTime time = new FakeTime();
    List<Candidate> candidates = run(time, tmp.resolve("work"));

    assertEquals(200, candidates.size());
    long retried = candidates.stream().filter(c -> c.attempts() > 1).count();
    assertTrue(retried > 40, "about a third of the first requests fail: " + retried);
    for (Candidate c : candidates) {
      if (c.status() == CandidateStatus.AGENT_FAILED) {
        assertEquals("malformed output: the answer holds no diff", c.reason(), c.toString());
      } else {
        assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
        assertTrue(c.patch().contains(SimulatedAgent.OUTPUT_FOLDER + "/" + c.taskId() + ".txt"));
      }
    }
    long malformed = candidates.stream().filter(c -> c.status() == CandidateStatus.AGENT_FAILED).count();
    assertTrue(malformed > 0 && malformed < 30, "malformed: " + malformed);
    // 429s wait out their Retry-After of 2 s; timeouts wait the whole 30 s timeout
    assertTrue(time.sleeps().stream().anyMatch(d -> d.toMillis() >= 2000 && d.toMillis() <= 2200));
    assertTrue(time.sleeps().contains(Duration.ofSeconds(30)));
  }

  @Test
  void theSameSeedGivesTheSameRunWhateverTheThreadTiming() {
    List<String> first = summary(run(new FakeTime(), tmp.resolve("w1")));
    List<String> second = summary(run(new FakeTime(), tmp.resolve("w2")));
    assertEquals(first, second);
  }

  private static List<String> summary(List<Candidate> candidates) {
    return candidates.stream()
        .map(c -> c.taskId() + "/" + c.sample() + " " + c.status() + " " + c.attempts() + " " + c.patchHash() + " " + c.tokens())
        .toList();
  }
}
