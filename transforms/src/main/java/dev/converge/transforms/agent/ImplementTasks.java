package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Map step: runs every agent {@code samples} times on every task, each run in its own private
 * worktree of the task's base commit, and emits one {@link Candidate} per run, keyed by its task.
 *
 * <p>Exactly one candidate leaves for every (task, agent, sample): a crash, a timeout or a broken
 * worktree becomes a candidate with status {@code agent-failed} and the reason, never a lost
 * element or a failed bundle.
 */
public final class ImplementTasks
    extends PTransform<PCollection<Task>, PCollection<KV<Task, Candidate>>> {

  /** Counter of agent invocations, read by progress reporting. */
  public static final String AGENT_CALLS = "agentCalls";

  private final List<Agent> agents;
  private final int samples;
  private final String workDir;

  private ImplementTasks(List<Agent> agents, int samples, String workDir) {
    this.agents = agents;
    this.samples = samples;
    this.workDir = workDir;
  }

  public static ImplementTasks with(List<? extends Agent> agents) {
    if (agents == null || agents.isEmpty()) {
      throw new IllegalArgumentException("at least one agent is needed");
    }
    return new ImplementTasks(
        List.copyOf(agents), 1, System.getProperty("java.io.tmpdir") + "/converge-work");
  }

  public ImplementTasks withSamples(int newSamples) {
    if (newSamples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + newSamples);
    }
    return new ImplementTasks(agents, newSamples, workDir);
  }

  /** The folder under which private worktrees are made (and removed when a run ends). */
  public ImplementTasks withWorkDir(String newWorkDir) {
    return new ImplementTasks(agents, samples, Objects.requireNonNull(newWorkDir, "workDir"));
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<Task> tasks) {
    KvCoder<Task, Integer> attemptCoder = KvCoder.of(JsonCoder.of(Task.class), VarIntCoder.of());
    return tasks
        .apply("ExpandAttempts", ParDo.of(new ExpandAttemptsFn(agents.size(), samples)))
        .setCoder(attemptCoder)
        // Agent calls are long; spread them over all workers instead of the few bundles Create made.
        .apply("SpreadAttempts", Reshuffle.viaRandomKey())
        .apply("RunAgents", ParDo.of(new RunAgentFn(agents, samples, workDir)))
        .setCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class)));
  }

  /** One element per (task, attempt number); the attempt number encodes agent and sample. */
  static final class ExpandAttemptsFn extends DoFn<Task, KV<Task, Integer>> {
    private final int agentCount;
    private final int samples;

    ExpandAttemptsFn(int agentCount, int samples) {
      this.agentCount = agentCount;
      this.samples = samples;
    }

    @ProcessElement
    public void process(@Element Task task, OutputReceiver<KV<Task, Integer>> out) {
      for (int attempt = 0; attempt < agentCount * samples; attempt++) {
        out.output(KV.of(task, attempt));
      }
    }
  }

  /** Runs one agent sample in a fresh worktree and turns whatever happens into a candidate. */
  static final class RunAgentFn extends DoFn<KV<Task, Integer>, KV<Task, Candidate>> {
    private final Counter calls = Metrics.counter(ImplementTasks.class, AGENT_CALLS);
    private final List<Agent> agents;
    private final int samples;
    private final String workDir;

    RunAgentFn(List<Agent> agents, int samples, String workDir) {
      this.agents = agents;
      this.samples = samples;
      this.workDir = workDir;
    }

    @ProcessElement
    public void process(@Element KV<Task, Integer> attempt, OutputReceiver<KV<Task, Candidate>> out) {
      Task task = attempt.getKey();
      Agent agent = agents.get(attempt.getValue() / samples);
      int sample = attempt.getValue() % samples;
      out.output(KV.of(task, run(agent, task, sample)));
    }

    private Candidate run(Agent agent, Task task, int sample) {
      Path worktree = null;
      try {
        worktree =
            Worktrees.checkout(
                task.repoPath(),
                task.baseCommit(),
                Path.of(workDir),
                task.id() + "-" + agent.id() + "-" + sample);
        calls.inc();
        ProcessRunner.Result result = agent.implement(task, sample, worktree);
        if (result.timedOut()) {
          return failed(agent, task, sample, "timed out after " + result.durationMs() + " ms", result);
        }
        if (result.exitCode() != 0) {
          return failed(agent, task, sample, "exited with code " + result.exitCode(), result);
        }
        String patch = Worktrees.diff(worktree, task.baseCommit());
        if (patch.isBlank()) {
          return candidate(agent, task, sample, CandidateStatus.NO_CHANGE, "", "made no change", result);
        }
        return candidate(agent, task, sample, CandidateStatus.PRODUCED, patch, "", result);
      } catch (Exception e) {
        return failed(
            agent, task, sample, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
      } finally {
        Worktrees.delete(worktree);
      }
    }

    private static Candidate failed(
        Agent agent, Task task, int sample, String reason, ProcessRunner.Result result) {
      return candidate(agent, task, sample, CandidateStatus.AGENT_FAILED, "", reason, result);
    }

    private static Candidate candidate(
        Agent agent,
        Task task,
        int sample,
        CandidateStatus status,
        String patch,
        String reason,
        ProcessRunner.Result result) {
      return new Candidate(
          task.id(),
          agent.id(),
          agent.kind(),
          sample,
          status,
          patch,
          patch.isEmpty() ? "" : Worktrees.patchHash(patch),
          reason,
          result == null ? "" : result.outputTail(),
          result == null ? 0 : result.durationMs(),
          false,
          null);
    }
  }
}
