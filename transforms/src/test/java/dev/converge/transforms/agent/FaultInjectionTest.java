package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.reduce.ReduceConflicts;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.Summary;
import dev.converge.transforms.report.WriteResults;
import dev.converge.transforms.testing.FinishedJobs;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.testing.ReliabilityLog;
import dev.converge.transforms.vote.MajorityVote;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.workspace.TestCandidates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers that fail: an OpenAI-compatible server on 127.0.0.1 where 20% of the requests get a
 * 429, a 500, no answer, malformed JSON, a truncated body or a dropped connection, and a simulated
 * provider with 20% errors (429, 500, timeouts, malformed answers), both retried. The whole change
 * pipeline (implement, test, vote, merge, results) still gives every task exactly one terminal
 * state, {@code results.jsonl} one line per task, and a {@code summary.json} whose counts add up.
 * Retry waits run on a fake clock; only the client's request timeout is real (300 ms). Found: a
 * body that stalls after the headers hung the call for ever (the request timeout of {@code
 * java.net.http} ends with the headers); the whole exchange now has the deadline.
 */
class FaultInjectionTest {
  private static final int TASKS = 24;
  private static final int SAMPLES = 2;
  private static final double FAULT_RATE = 0.2;

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);
  private MockProvider server;

  @BeforeEach
  void startServer() throws Exception {
    server = new MockProvider(() -> 0L);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<Agent> faultyAgents() {
    CallLimits retried = CallLimits.DEFAULT.withMaxAttempts(3).withConcurrency(8);
    return List.of(
        OpenAiAgent.of("gpt", "gpt-4o-mini")
            .withBaseUrl(server.url() + "/v1")
            .withApiKeyEnv("FAULT_TEST_KEY")
            .withSecrets(name -> "sk-test-faultinjection0001")
            .withLimits(retried.withTimeout(Duration.ofMillis(300))),
        SimulatedAgent.of("sim")
            .withSeed(5)
            .withErrors(new SimulatedAgent.ErrorRates(0.05, 0.05, 0.05, 0.05))
            .withLimits(retried));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyTaskEndsInExactlyOneStateAndTheCountsAddUp() throws Exception {
    server.withFaults(11, FAULT_RATE, new MockProvider.Response(200, Map.of(), MockProvider.openAiAnswer(ApiAgentsWireTest.EDIT_A, 900, 60)));
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      tasks.add(GitRepos.task(String.format("t%02d", i), repo, base));
    }
    String work = tmp.resolve("work").toString();
    String out = tmp.resolve("out").toString();
    List<Agent> agents = faultyAgents();

    pipeline
        .apply(Create.of(tasks).withCoder(JsonCoder.of(Task.class)))
        .apply(
            ImplementTasks.with(agents).withSamples(SAMPLES).withWorkDir(work).withTimeSource(new FakeTime()))
        .apply(TestCandidates.inWorkDir(work))
        .apply(VoteOnCandidates.using(MajorityVote.create()))
        .apply(ReduceConflicts.inWorkDir(work))
        .get(ReduceConflicts.OUTCOMES)
        .apply(WriteResults.to(out));
    pipeline.run().waitUntilFinish();

    List<String> lines = Files.readAllLines(Path.of(out, WriteResults.FILE_NAME));
    assertEquals(TASKS, lines.size(), "one line per task");
    List<Outcome> results = Summaries.readResults(out);
    Set<String> ids = new TreeSet<>();
    for (Outcome outcome : results) {
      assertTrue(ids.add(outcome.task().id()), "two results for " + outcome.task().id());
      assertEquals(agents.size() * SAMPLES, outcome.candidates().size(), outcome.task().id());
      assertFalse(outcome.reason().isBlank(), outcome.task().id());
    }
    assertEquals(tasks.stream().map(Task::id).collect(java.util.stream.Collectors.toCollection(TreeSet::new)), ids);

    Summary summary = FinishedJobs.finish(out, "faults", "direct", tasks, 1).summary();
    assertEquals(TASKS, summary.tasks());
    assertEquals(TASKS, summary.states().values().stream().mapToInt(Integer::intValue).sum(), summary.states().toString());
    assertEquals(TASKS * agents.size() * SAMPLES, summary.candidates());
    List<Candidate> all = results.stream().flatMap(o -> o.candidates().stream()).toList();
    long notCalled = all.stream().filter(c -> !c.calledAgent() && !c.cached()).count();
    assertEquals(summary.candidates(), summary.agentCalls() + summary.cacheHits() + notCalled);
    assertEquals(all.stream().mapToLong(Candidate::tokens).sum(), summary.tokens());

    Map<MockProvider.Fault, Integer> injected = server.injected();
    assertEquals(MockProvider.Fault.values().length, injected.size(), "every fault was injected: " + injected);
    Map<String, Integer> states = new TreeMap<>(summary.states());
    ReliabilityLog.named("fault-injection")
        .put("tasks", TASKS)
        .put("agentCalls", summary.candidates())
        .put("callsRetried", all.stream().filter(c -> c.attempts() > 1).count())
        .put("httpRequests", server.requests().size())
        .put("httpFaultsInjected", injected.values().stream().mapToInt(Integer::intValue).sum())
        .put("httpFaultsByKind", new TreeMap<>(injected))
        .put("states", states)
        .put("lostTasks", 0)
        .put("duplicateResults", 0)
        .write();
  }
}
