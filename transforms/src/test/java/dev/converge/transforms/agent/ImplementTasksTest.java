package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.testing.FakeAgent;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImplementTasksTest {
  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private Path repo;
  private String base;
  private Path workDir;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("a.txt", "one\n", "src/b.txt", "bee\n"));
    workDir = tmp.resolve("work");
  }

  private PCollection<Candidate> implement(List<Task> tasks, List<? extends Agent> agents, int samples) {
    return pipeline
        .apply("Tasks", Create.of(tasks).withCoder(JsonCoder.of(Task.class)))
        .apply(
            ImplementTasks.with(agents).withSamples(samples).withWorkDir(workDir.toString()))
        .apply(Values.create());
  }

  private PCollection<Candidate> implementOne(Agent agent) {
    return implement(List.of(GitRepos.task("t1", repo, base)), List.of(agent), 1);
  }

  private static CommandAgent shell(String id, String script) {
    return CommandAgent.of(id, List.of("sh", "-c", script));
  }

  private static Candidate only(Iterable<Candidate> candidates) {
    Iterator<Candidate> it = candidates.iterator();
    assertTrue(it.hasNext(), "expected one candidate, got none");
    Candidate candidate = it.next();
    assertFalse(it.hasNext(), "expected exactly one candidate");
    return candidate;
  }

  @Test
  void agentThatEditsAFileProducesAPatchNamingTheFile() throws IOException {
    PCollection<Candidate> out =
        implementOne(shell("editor", "echo two > a.txt && echo new > src/new.txt"));
    PAssert.that(out)
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
              assertEquals("t1", c.taskId());
              assertEquals("editor", c.agentId());
              assertEquals("command", c.agentKind());
              assertEquals(0, c.sample());
              assertTrue(c.patch().contains("diff --git a/a.txt b/a.txt"), c.patch());
              assertTrue(c.patch().contains("+two"), c.patch());
              assertTrue(c.patch().contains("src/new.txt"), c.patch());
              assertFalse(c.patchHash().isEmpty());
              assertEquals("", c.reason());
              assertEquals(null, c.test());
              return null;
            });
    pipeline.run().waitUntilFinish();

    // The private worktrees are removed once the agent has run.
    try (Stream<Path> left = Files.list(workDir)) {
      assertEquals(List.of(), left.toList(), "worktrees left behind in " + workDir);
    }
  }

  @Test
  void anAgentThatCommitsItsChangeStillProducesIt() {
    assertProducesTwoInA("echo two > a.txt && git -c user.name=a -c user.email=a@example.com commit -qam edit");
  }

  /**
   * A file committed with an old time stamp is not hashed again by git (its index entry is not
   * racily clean), so the diff needs the blob the agent wrote into its own, replaced, .git.
   */
  @Test
  void anAgentThatCommittedAnOldFileStillProducesIt() {
    assertProducesTwoInA(
        "echo two > a.txt && touch -d @1000000000 a.txt && git add a.txt"
            + " && git -c user.name=a -c user.email=a@example.com commit -qm edit");
  }

  /** A committing agent's {@code script} must still produce its change of a.txt to "two". */
  private void assertProducesTwoInA(String script) {
    PAssert.that(implementOne(shell("committer", script)))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
              assertTrue(c.patch().contains("+two"), c.patch());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void agentThatChangesNothingGivesNoChange() {
    PAssert.that(implementOne(shell("reader", "cat a.txt")))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(CandidateStatus.NO_CHANGE, c.status(), c.toString());
              assertEquals("", c.patch());
              assertEquals("", c.patchHash());
              assertEquals("made no change", c.reason());
              assertTrue(c.logTail().contains("one"), c.logTail());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void agentThatExitsNonZeroFails() {
    PAssert.that(implementOne(shell("crasher", "echo two > a.txt; echo broken; exit 3")))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(CandidateStatus.AGENT_FAILED, c.status(), c.toString());
              assertTrue(c.reason().contains("exited with code 3"), c.reason());
              // A failed agent's edits are not a candidate change.
              assertEquals("", c.patch());
              assertTrue(c.logTail().contains("broken"), c.logTail());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void agentThatRunsPastItsTimeoutFails() {
    CommandAgent sleeper = shell("sleeper", "sleep 30").withTimeout(Duration.ofSeconds(1));
    PAssert.that(implementOne(sleeper))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(CandidateStatus.AGENT_FAILED, c.status(), c.toString());
              assertTrue(c.reason().contains("timed out"), c.reason());
              assertTrue(c.durationMs() < 20_000, "the agent was not stopped: " + c.durationMs());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void simulatedAgentOutputIsLabelled() {
    PAssert.that(implementOne(SimulatedAgent.of("sim")))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals("simulated", c.agentKind());
              assertEquals("sim", c.agentId());
              assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
              assertTrue(
                  c.patch().contains(SimulatedAgent.OUTPUT_FOLDER + "/t1.txt"), c.patch());
              assertTrue(c.logTail().contains("simulated agent sim"), c.logTail());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void everyTaskGetsOneCandidatePerAgentAndSample() {
    List<Task> tasks = List.of(GitRepos.task("t1", repo, base), GitRepos.task("t2", repo, base));
    List<Agent> agents = List.of(SimulatedAgent.of("alpha"), SimulatedAgent.of("beta").withSeed(7));
    PCollection<String> labels =
        implement(tasks, agents, 3)
            .apply(
                "Label",
                MapElements.into(TypeDescriptors.strings())
                    .via(c -> c.taskId() + "/" + c.label() + "/" + c.agentKind()));

    List<String> expected = new ArrayList<>();
    for (String task : List.of("t1", "t2")) {
      for (String agent : List.of("alpha", "beta")) {
        for (int sample = 0; sample < 3; sample++) {
          expected.add(task + "/" + agent + "#" + sample + "/simulated");
        }
      }
    }
    assertEquals(12, expected.size());
    PAssert.that(labels).containsInAnyOrder(expected);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long calls = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(ImplementTasks.class, ImplementTasks.AGENT_CALLS))
                    .build())
            .getCounters()) {
      calls += counter.getAttempted();
    }
    assertEquals(12, calls, "agent calls counted");
  }

  @Test
  void aBundleKeepsManyCallsInFlightAtOnce() {
    // 40 samples in one bundle, 40 allowed at once: each call waits until all 40 have started,
    // which only succeeds when they really run at the same time (no clock involved).
    PCollection<String> statuses =
        pipeline
            .apply("Tasks", Create.of(GitRepos.task("t1", repo, base)).withCoder(JsonCoder.of(Task.class)))
            .apply(
                ImplementTasks.with(List.of(new RendezvousAgent(40)))
                    .withSamples(40)
                    .withSpread(1)
                    .withWorkDir(workDir.toString()))
            .apply(Values.create())
            .apply(
                "Status",
                MapElements.into(TypeDescriptors.strings())
                    .via(c -> c.status().label() + " " + c.reason()));
    PAssert.that(statuses).containsInAnyOrder(Collections.nCopies(40, "produced "));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void callsSpreadOverSeveralBundlesAreInFlightTogether() {
    // TestPipeline's Direct Runner has at least 3 threads: 3 bundles of about 10 calls each all
    // wait for each other, so all 30 calls must be in flight at once across the bundles.
    PCollection<String> statuses =
        pipeline
            .apply("Tasks", Create.of(GitRepos.task("t1", repo, base)).withCoder(JsonCoder.of(Task.class)))
            .apply(
                ImplementTasks.with(List.of(new RendezvousAgent(30)))
                    .withSamples(30)
                    .withSpread(3)
                    .withWorkDir(workDir.toString()))
            .apply(Values.create())
            .apply(
                "Status",
                MapElements.into(TypeDescriptors.strings())
                    .via(c -> c.status().label() + " " + c.reason()));
    PAssert.that(statuses).containsInAnyOrder(Collections.nCopies(30, "produced "));
    pipeline.run().waitUntilFinish();
  }

  /** Finishes only once {@code parties} calls are in flight together; fails after 60 s otherwise. */
  private static final class RendezvousAgent extends FakeAgent {
    private static final ConcurrentHashMap<Integer, CountDownLatch> STARTED =
        new ConcurrentHashMap<>();
    private final int parties;

    RendezvousAgent(int parties) {
      super("rendezvous", "command", parties);
      this.parties = parties;
    }

    @Override
    public ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
      CountDownLatch started = STARTED.computeIfAbsent(parties, n -> new CountDownLatch(n));
      started.countDown();
      try {
        if (!started.await(60, TimeUnit.SECONDS)) {
          return new ProcessRunner.Result(
              1, false, "only " + (parties - started.getCount()) + " calls in flight", 0);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ProcessRunner.Result(1, false, "interrupted", 0);
      }
      Files.writeString(worktree.resolve("sample-" + sample + ".txt"), "x\n");
      return new ProcessRunner.Result(0, false, "", 0);
    }
  }

  @Test
  void commandCheckoutsAreMadeAheadOfTheirSlotButNoMoreThanTheConcurrency() {
    // 2 at once, 12 calls: at most 2 agents run, and at most 4 checkouts are on disk at once.
    PCollection<String> statuses =
        pipeline
            .apply("Tasks", Create.of(GitRepos.task("t1", repo, base)).withCoder(JsonCoder.of(Task.class)))
            .apply(ImplementTasks.with(List.of(new CheckoutCountingAgent(2))).withSamples(12).withWorkDir(workDir.toString()))
            .apply(Values.create())
            .apply("Status", MapElements.into(TypeDescriptors.strings()).via(c -> c.status().label() + " " + c.reason()));
    PAssert.that(statuses).containsInAnyOrder(Collections.nCopies(12, "produced "));
    pipeline.run().waitUntilFinish();

    assertTrue(CheckoutCountingAgent.MOST_RUNNING.get() <= 2, "running at once: " + CheckoutCountingAgent.MOST_RUNNING);
    assertTrue(
        CheckoutCountingAgent.MOST_CHECKOUTS.get() <= 4, "checkouts on disk at once: " + CheckoutCountingAgent.MOST_CHECKOUTS);
  }

  /** Records the most calls running at once and the most checkouts on disk any call saw. */
  private static final class CheckoutCountingAgent extends FakeAgent {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_CHECKOUTS = new AtomicInteger();

    CheckoutCountingAgent(int concurrency) {
      super("counter", "command", concurrency);
    }

    @Override
    public ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
      MOST_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        for (int look = 0; look < 5; look++) {
          try (Stream<Path> checkouts = Files.list(worktree.getParent())) {
            MOST_CHECKOUTS.accumulateAndGet((int) checkouts.filter(Files::isDirectory).count(), Math::max);
          }
          Thread.sleep(40);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ProcessRunner.Result(1, false, "interrupted", 0);
      } finally {
        RUNNING.decrementAndGet();
      }
      Files.writeString(worktree.resolve("sample-" + sample + ".txt"), "x\n");
      return new ProcessRunner.Result(0, false, "", 0);
    }
  }

  @Test
  void aRerunWithTheCacheMakesNoAgentCalls() {
    Path cache = tmp.resolve("cache");
    List<Task> tasks = List.of(GitRepos.task("t1", repo, base), GitRepos.task("t2", repo, base));
    List<Agent> agents = List.of(SimulatedAgent.of("sim"), shell("editor", "echo two > a.txt"));
    assertAgentCalls(tasks, agents, cache, TestPipeline.create().enableAbandonedNodeEnforcement(false), 4);
    assertAgentCalls(tasks, agents, cache, pipeline, 0);
  }

  /** Counts the candidates that cost a live call (not answered from the cache). */
  private void assertAgentCalls(List<Task> tasks, List<Agent> agents, Path cache, TestPipeline p, long expected) {
    PCollection<Long> calls =
        p.apply("Tasks", Create.of(tasks).withCoder(JsonCoder.of(Task.class)))
            .apply(ImplementTasks.with(agents).withWorkDir(workDir.toString()).withCache(cache.toString()))
            .apply(Values.create())
            .apply(Filter.by(Candidate::calledAgent))
            .apply(Count.globally());
    PAssert.thatSingleton(calls).isEqualTo(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void commandAgentSeesTheTaskButNotTheParentEnvironment() {
    String hidden = parentOnlyVariable();
    Task task =
        new Task(
            "t1",
            "repo",
            repo.toString(),
            base,
            "Say hello\nthen stop",
            List.of("a.txt", "src/b.txt"),
            "the goal",
            "true",
            30);
    CommandAgent agent =
        shell("env-agent", "env; echo STDIN-BEGIN; cat; echo; echo STDIN-END")
            .withEnv(Map.of("GRANTED_BY_SPEC", "granted"));
    PCollection<Candidate> out =
        implement(List.of(task), List.of(agent), 1);
    PAssert.that(out)
        .satisfies(
            all -> {
              Candidate c = only(all);
              String log = c.logTail();
              assertEquals(CandidateStatus.NO_CHANGE, c.status(), c.toString());
              Set<String> names = variableNames(log);
              for (String expected :
                  List.of(
                      "CONVERGE_TASK_ID=t1",
                      "CONVERGE_AGENT_ID=env-agent",
                      "CONVERGE_SAMPLE=0",
                      "CONVERGE_GOAL=the goal",
                      "CONVERGE_FILES=a.txt",
                      "GRANTED_BY_SPEC=granted")) {
                assertTrue(log.contains("\n" + expected) || log.startsWith(expected), expected + " missing in:\n" + log);
              }
              assertTrue(names.contains("CONVERGE_INSTRUCTIONS"), log);
              assertTrue(names.contains("CONVERGE_WORKTREE"), log);
              assertTrue(names.contains("PATH"), "PATH is inherited: " + log);
              assertFalse(
                  names.contains(hidden),
                  hidden + " leaked from the parent environment into the agent:\n" + log);
              assertTrue(log.contains("STDIN-BEGIN\nSay hello\nthen stop"), "instructions on stdin: " + log);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** A variable of this JVM's environment that an agent must not inherit (JAVA_HOME if set). */
  private static String parentOnlyVariable() {
    Set<String> allowed =
        Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PWD", "OLDPWD", "SHLVL", "_", "IFS");
    Map<String, String> env = System.getenv();
    if (env.containsKey("JAVA_HOME")) {
      return "JAVA_HOME";
    }
    return new TreeSet<>(env.keySet())
        .stream()
        .filter(name -> !allowed.contains(name) && !name.startsWith("CONVERGE_"))
        .filter(name -> name.matches("[A-Za-z_][A-Za-z0-9_]*"))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("the test JVM has no variable to check against"));
  }

  /** Names of the {@code NAME=value} lines printed by {@code env}. */
  private static Set<String> variableNames(String envOutput) {
    Set<String> names = new TreeSet<>();
    for (String line : envOutput.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        names.add(line.substring(0, eq));
      }
    }
    return names;
  }
}
