package dev.converge.pipelines.change;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.plan.Planner;
import dev.converge.pipelines.plan.Target;
import dev.converge.pipelines.plan.Targets;
import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.reduce.ReduceConflicts;
import dev.converge.transforms.report.WritePatches;
import dev.converge.transforms.report.WriteResults;
import dev.converge.transforms.vote.MajorityVote;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.vote.VotingStrategy;
import dev.converge.transforms.workspace.TestCandidates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * A change job compiled from its spec: the planned tasks, the agents, and the pipeline
 *
 * <pre>
 *   Plan (Create tasks) -> Implement -> Test -> Vote -> ReduceConflicts -> WritePatches, WriteResults
 * </pre>
 *
 * <p>Planning happens here on the driver (targets are resolved to fixed commits with JGit), so a
 * spec that cannot be planned fails before any agent is called.
 */
public final class ChangeJob {
  private final Spec spec;
  private final List<Task> tasks;
  private final List<Agent> agents;
  private final int samples;
  private final VotingStrategy votingStrategy;

  private ChangeJob(
      Spec spec, List<Task> tasks, List<Agent> agents, int samples, VotingStrategy votingStrategy) {
    this.spec = spec;
    this.tasks = List.copyOf(tasks);
    this.agents = List.copyOf(agents);
    this.samples = samples;
    this.votingStrategy = votingStrategy;
  }

  /** Resolves the targets, plans the tasks and configures the agents of a validated spec. */
  public static ChangeJob compile(Spec spec, Path specFile) throws PlanException {
    Path specDir = specFile.toAbsolutePath().normalize().getParent();
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < spec.targets().size(); i++) {
      targets.add(Targets.resolve(spec.targets().get(i), i, specDir));
    }
    List<Task> tasks = Planner.plan(spec, targets);
    return new ChangeJob(
        spec, tasks, implementingAgents(spec, specDir), samplesOf(spec), votingStrategyOf(spec));
  }

  public Spec spec() {
    return spec;
  }

  public List<Task> tasks() {
    return tasks;
  }

  public List<Agent> agents() {
    return agents;
  }

  public int samples() {
    return samples;
  }

  /** Adds the job's stages to {@code pipeline}; returns the final outcome of every task. */
  public PCollection<Outcome> expandInto(Pipeline pipeline, String outputDir, String workDir) {
    PCollection<Outcome> outcomes =
        pipeline
            .apply("Plan", Create.of(tasks).withCoder(JsonCoder.of(Task.class)))
            .apply("Implement", ImplementTasks.with(agents).withSamples(samples).withWorkDir(workDir))
            .apply("Test", TestCandidates.inWorkDir(workDir))
            .apply("Vote", VoteOnCandidates.using(votingStrategy))
            .apply("ReduceConflicts", ReduceConflicts.inWorkDir(workDir));
    outcomes.apply("WritePatches", WritePatches.to(outputDir));
    outcomes.apply("WriteResults", WriteResults.to(outputDir));
    return outcomes;
  }

  private static List<Agent> implementingAgents(Spec spec, Path specDir) {
    Map<String, AgentSpec> byId =
        spec.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity()));
    List<String> ids =
        spec.implement() == null || spec.implement().agents().isEmpty()
            ? spec.agents().stream().map(AgentSpec::id).toList()
            : spec.implement().agents();
    return ids.stream().map(id -> AgentFactory.create(byId.get(id), specDir)).toList();
  }

  private static int samplesOf(Spec spec) {
    return spec.implement() == null || spec.implement().samples() == null
        ? 1
        : spec.implement().samples();
  }

  private static VotingStrategy votingStrategyOf(Spec spec) {
    String name = spec.vote() == null || spec.vote().strategy() == null ? "majority" : spec.vote().strategy();
    return switch (name) {
      case "majority" -> MajorityVote.create();
      default -> throw new IllegalArgumentException("unknown vote strategy '" + name + "'");
    };
  }
}
