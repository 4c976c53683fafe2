package dev.converge.transforms.workspace;

import dev.converge.transforms.agent.Redactor;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The test gate: applies each distinct candidate patch to a fresh worktree of the task's base
 * commit and runs the task's test command there. Candidates with the same normalized patch are
 * grouped first, so identical changes are tested once and share the result. What the agent said
 * about its own tests plays no part.
 */
public final class TestCandidates
    extends PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> {

  /** Counter of test-command runs. */
  public static final String TEST_RUNS = "testRuns";

  /** Namespace of one counter per task, named by the task id: its candidates through the gate. */
  public static final String CANDIDATES_TESTED_BY_TASK = "converge.candidatesTested";

  private final String workDir;
  private final Sandbox sandbox;

  private TestCandidates(String workDir, Sandbox sandbox) {
    this.workDir = workDir;
    this.sandbox = sandbox;
  }

  /** The test gate with its checkouts under {@code workDir}, sandboxed where bubblewrap works. */
  public static TestCandidates inWorkDir(String workDir) {
    return new TestCandidates(Objects.requireNonNull(workDir, "workDir"), Sandbox.AUTO);
  }

  /** How the test commands are confined (default {@link Sandbox#AUTO}). */
  public TestCandidates withSandbox(Sandbox newSandbox) {
    return new TestCandidates(workDir, Objects.requireNonNull(newSandbox, "sandbox"));
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<KV<Task, Candidate>> candidates) {
    KvCoder<Task, Candidate> candidateCoder =
        KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class));
    return candidates
        .apply("KeyByDistinctPatch", ParDo.of(new KeyByDistinctPatchFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), candidateCoder))
        .apply("GroupIdenticalPatches", GroupByKey.create())
        .apply("RunTestsOnce", ParDo.of(new RunTestsFn(workDir, sandbox)))
        .setCoder(candidateCoder);
  }

  /**
   * Same task and same normalized patch share a key. Candidates without a patch need no test and
   * share one key per task: a key per candidate would make one group (and, on the Direct Runner,
   * one bundle) per failed or unchanged candidate.
   */
  static final class KeyByDistinctPatchFn
      extends DoFn<KV<Task, Candidate>, KV<String, KV<Task, Candidate>>> {
    @ProcessElement
    public void process(
        @Element KV<Task, Candidate> element,
        OutputReceiver<KV<String, KV<Task, Candidate>>> out) {
      Candidate candidate = element.getValue();
      String key =
          candidate.status() == CandidateStatus.PRODUCED
              ? candidate.taskId() + "\u0000patch\u0000" + candidate.patchHash()
              : candidate.taskId() + "\u0000nopatch";
      out.output(KV.of(key, element));
    }
  }

  /** Tests one distinct patch and gives every candidate that made it the same result. */
  static final class RunTestsFn extends DoFn<KV<String, Iterable<KV<Task, Candidate>>>, KV<Task, Candidate>> {
    private final Counter testRuns = Metrics.counter(TestCandidates.class, TEST_RUNS);
    private final String workDir;
    private final Sandbox sandbox;

    RunTestsFn(String workDir, Sandbox sandbox) {
      this.workDir = workDir;
      this.sandbox = sandbox;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Task, Candidate>>> group,
        OutputReceiver<KV<Task, Candidate>> out) {
      KV<Task, Candidate> first = group.getValue().iterator().next();
      // Candidates with a patch share one test; those without one each say why they were not run.
      TestResult shared =
          first.getValue().status() == CandidateStatus.PRODUCED
              ? test(first.getKey(), first.getValue())
              : null;
      Counter tested = Metrics.counter(CANDIDATES_TESTED_BY_TASK, first.getKey().id());
      for (KV<Task, Candidate> element : group.getValue()) {
        TestResult result = shared != null ? shared : test(element.getKey(), element.getValue());
        out.output(KV.of(element.getKey(), element.getValue().withTest(result)));
        tested.inc();
      }
    }

    private TestResult test(Task task, Candidate candidate) {
      if (candidate.status() != CandidateStatus.PRODUCED) {
        return TestResult.notRun("no patch: " + candidate.reason());
      }
      if (candidate.violatesSpec()) {
        // Rejected by the spec's constraints or drift thresholds (CheckConstraints): not worth a test.
        return TestResult.notRun("violates the spec: " + candidate.violations().get(0).describe());
      }
      java.util.Optional<String> unsafe = PatchGuard.refusal(candidate.patch());
      if (unsafe.isPresent()) {
        return new TestResult(TestStatus.PATCH_FAILED, -1, "unsafe change refused: the patch " + unsafe.get(), 0);
      }
      Path worktree = null;
      try {
        worktree =
            Worktrees.checkoutBorrowing(
                task.repoPath(), task.baseCommit(), Path.of(workDir), task.id() + "-test");
        String applyError = Worktrees.apply(worktree, candidate.patch());
        if (!applyError.isEmpty()) {
          return new TestResult(TestStatus.PATCH_FAILED, -1, applyError, 0);
        }
        testRuns.inc();
        long startedAtMs = System.currentTimeMillis();
        ProcessRunner.Result run =
            ProcessRunner.run(
                // The repository stays readable: the checkout borrows its objects.
                sandbox.wrap(List.of("sh", "-c", task.testCommand()), worktree, Path.of(task.repoPath())),
                worktree,
                Map.of(
                    "CONVERGE_TASK_ID", task.id(),
                    "CONVERGE_FILES", String.join("\n", task.files())),
                "",
                Duration.ofSeconds(task.testTimeoutSeconds()));
        TestStatus status =
            run.timedOut()
                ? TestStatus.TIMED_OUT
                : run.exitCode() == 0 ? TestStatus.PASSED : TestStatus.FAILED;
        // The checkout's path is random; "." keeps results and repair feedback the same run to run.
        String output = run.outputTail().replace(worktree.toString() + "/", "./").replace(worktree.toString(), ".");
        return new TestResult(status, run.exitCode(), Redactor.redact(output), run.durationMs(), startedAtMs);
      } catch (Exception e) {
        return new TestResult(
            TestStatus.FAILED, -1, "test gate error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), 0);
      } finally {
        Worktrees.delete(worktree);
      }
    }
  }
}
