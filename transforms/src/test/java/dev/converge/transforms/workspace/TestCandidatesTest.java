package dev.converge.transforms.workspace;

import static dev.converge.transforms.testing.CandidateFixtures.noChange;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCandidatesTest {
  /** Passes only when the change wrote {@code fixed} into a.txt; exits 7 otherwise. */
  private static final String CHECK_FIXED = "test \"$(cat a.txt)\" = fixed || { echo not fixed; exit 7; }";

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private Path repo;
  private String base;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("a.txt", "broken\n", "b.txt", "bee\n"));
  }

  private PCollection<Candidate> test(Task task, Candidate... candidates) {
    List<KV<Task, Candidate>> input =
        java.util.Arrays.stream(candidates).map(c -> KV.of(task, c)).toList();
    return pipeline
        .apply(
            "Candidates",
            Create.of(input)
                .withCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class))))
        .apply(TestCandidates.inWorkDir(tmp.resolve("work").toString()))
        .apply(Values.create());
  }

  private String patchWriting(String content) {
    return GitRepos.diff(repo, base, Map.of("a.txt", content));
  }

  private static Candidate only(Iterable<Candidate> candidates) {
    Iterator<Candidate> it = candidates.iterator();
    assertTrue(it.hasNext(), "expected one candidate, got none");
    Candidate candidate = it.next();
    assertFalse(it.hasNext(), "expected exactly one candidate");
    assertNotNull(candidate.test(), "candidate left the test gate without a result");
    return candidate;
  }

  @Test
  void passingPatchPasses() {
    Task task = GitRepos.task("t1", repo, base, CHECK_FIXED, 30);
    PAssert.that(test(task, produced("t1", "a", 0, patchWriting("fixed\n"))))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(TestStatus.PASSED, c.test().status(), c.test().toString());
              assertEquals(0, c.test().exitCode());
              assertTrue(c.test().passed());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void failingTestFailsWithItsExitCode() {
    Task task = GitRepos.task("t1", repo, base, CHECK_FIXED, 30);
    PAssert.that(test(task, produced("t1", "a", 0, patchWriting("still broken\n"))))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(TestStatus.FAILED, c.test().status(), c.test().toString());
              assertEquals(7, c.test().exitCode());
              assertTrue(c.test().outputTail().contains("not fixed"), c.test().outputTail());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void patchThatDoesNotApplyIsPatchFailed() {
    // A patch made against different content of a.txt.
    Path other = tmp.resolve("other");
    String otherBase = GitRepos.create(other, Map.of("a.txt", "something else entirely\n"));
    String foreignPatch = GitRepos.diff(other, otherBase, Map.of("a.txt", "fixed\n"));
    Task task = GitRepos.task("t1", repo, base, CHECK_FIXED, 30);
    PAssert.that(test(task, produced("t1", "a", 0, foreignPatch)))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(TestStatus.PATCH_FAILED, c.test().status(), c.test().toString());
              assertFalse(c.test().outputTail().isBlank(), "git's reason is kept");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void candidateWithoutPatchIsNotRun() {
    Task task = GitRepos.task("t1", repo, base, "exit 1", 30);
    PAssert.that(test(task, noChange("t1", "lazy", 0)))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(TestStatus.NOT_RUN, c.test().status(), c.test().toString());
              assertTrue(c.test().outputTail().contains("made no change"), c.test().outputTail());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void identicalPatchesAreTestedOnce() throws IOException {
    Task task = GitRepos.task("t1", repo, base, CHECK_FIXED, 30);
    String same = patchWriting("fixed\n");
    String different = patchWriting("different\n");
    PCollection<Candidate> out =
        test(
            task,
            produced("t1", "a", 0, same),
            produced("t1", "b", 0, same),
            produced("t1", "c", 1, same),
            produced("t1", "d", 0, different));
    PAssert.that(out)
        .satisfies(
            all -> {
              Map<String, TestStatus> byLabel = new HashMap<>();
              all.forEach(c -> byLabel.put(c.label(), c.test().status()));
              assertEquals(
                  Map.of(
                      "a#0", TestStatus.PASSED,
                      "b#0", TestStatus.PASSED,
                      "c#1", TestStatus.PASSED,
                      "d#0", TestStatus.FAILED),
                  byLabel);
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // Counted by the gate itself: the sandboxed test command cannot write outside its checkout.
    long runs = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TestCandidates.class, TestCandidates.TEST_RUNS))
                    .build())
            .getCounters()) {
      runs += counter.getAttempted();
    }
    assertEquals(2, runs, "one test run per distinct patch");
  }

  @Test
  void testCommandRunningPastItsTimeoutTimesOut() {
    Task task = GitRepos.task("t1", repo, base, "sleep 30", 1);
    PAssert.that(test(task, produced("t1", "a", 0, patchWriting("fixed\n"))))
        .satisfies(
            all -> {
              Candidate c = only(all);
              assertEquals(TestStatus.TIMED_OUT, c.test().status(), c.test().toString());
              assertEquals(-1, c.test().exitCode());
              assertTrue(c.test().durationMs() < 20_000, "not stopped: " + c.test().durationMs());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
