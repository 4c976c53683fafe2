package dev.converge.pipelines.change;

import dev.converge.pipelines.plan.AgentPlanner;
import dev.converge.pipelines.plan.PlanCache;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.plan.Planner;
import dev.converge.pipelines.plan.Target;
import dev.converge.pipelines.plan.Targets;
import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.specdriven.SpecDriven;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.reduce.Branches;
import dev.converge.transforms.reduce.ReduceConflicts;
import dev.converge.transforms.reduce.TargetCheck;
import dev.converge.transforms.report.WritePatches;
import dev.converge.transforms.report.WriteRepoSeries;
import dev.converge.transforms.report.WriteResults;
import dev.converge.transforms.vote.BestOfVote;
import dev.converge.transforms.vote.FirstPassingVote;
import dev.converge.transforms.vote.MajorityVote;
import dev.converge.transforms.vote.QuorumVote;
import dev.converge.transforms.vote.UnanimousVote;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.vote.VotingStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import dev.converge.pipelines.spec.AdaptiveSpec;
import dev.converge.transforms.sampling.CascadeTiers;
import dev.converge.transforms.sampling.SampleAdaptively;
import dev.converge.transforms.sampling.StoppingRule;
import dev.converge.transforms.workspace.Sandbox;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * A change job compiled from its spec: the planned tasks, the agents, and the pipeline
 *
 * <pre>
 *   Plan (Create tasks) -> Implement -> CheckConstraints -> Test -> Vote
 *     [-> Verify -> (Repair1 -> Verify1) ... (RepairN -> VerifyN) -> FinalVerify]   (with verify:)
 *     -> ReduceConflicts -> WritePatches, WriteResults
 *                       \-> WriteRepoSeries
 * </pre>
 *
 * <p>The verify loop is unrolled: {@code verify.rounds} repair rounds are that many pairs of
 * stages, each of which passes the tasks it has nothing to do for straight through.
 *
 * <p>Planning happens here on the driver (targets are resolved to fixed commits with JGit), so a
 * spec that cannot be planned fails before any agent is called.
 */
public final class ChangeJob {
  /** Where URL targets are cloned unless the caller says otherwise; clones are reused and fetched. */
  public static final Path DEFAULT_CLONE_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "converge-clones");

  private final Spec spec;
  private final List<Target> targets;
  private final List<Task> tasks;
  private final List<Agent> agents;
  private final int samples;
  private final UnaryOperator<SampleAdaptively> adaptive;
  private final boolean cascade;
  private final VotingStrategy votingStrategy;
  private final Agent resolver;
  private final VerifyLoop verifyLoop;
  private final SpecDriven specDriven;
  private final AgentCallPlan agentCalls;

  private ChangeJob(
      Spec spec,
      List<Target> targets,
      List<Task> tasks,
      List<Agent> agents,
      int samples,
      UnaryOperator<SampleAdaptively> adaptive,
      boolean cascade,
      VotingStrategy votingStrategy,
      Agent resolver,
      VerifyLoop verifyLoop,
      SpecDriven specDriven,
      AgentCallPlan agentCalls) {
    this.spec = spec;
    this.targets = List.copyOf(targets);
    this.tasks = List.copyOf(tasks);
    this.agents = List.copyOf(agents);
    this.samples = samples;
    this.adaptive = adaptive;
    this.cascade = cascade;
    this.votingStrategy = votingStrategy;
    this.resolver = resolver;
    this.verifyLoop = verifyLoop;
    this.specDriven = specDriven;
    this.agentCalls = agentCalls;
  }

  /** Resolves the targets, plans the tasks and configures the agents of a validated spec. */
  public static ChangeJob compile(Spec spec, Path specFile) throws PlanException {
    return compile(spec, specFile, DEFAULT_CLONE_DIR);
  }

  /** Like {@link #compile(Spec, Path)}, cloning URL targets into {@code cloneDir}. */
  public static ChangeJob compile(Spec spec, Path specFile, Path cloneDir) throws PlanException {
    return compile(spec, specFile, cloneDir, PlanCache.OFF);
  }

  /** Like {@link #compile(Spec, Path, Path)}, keeping the answers of {@code plan.agent} in {@code planCache}. */
  public static ChangeJob compile(Spec spec, Path specFile, Path cloneDir, PlanCache planCache) throws PlanException {
    Path specDir = specFile.toAbsolutePath().normalize().getParent();
    List<Target> targets = Targets.resolveAll(spec.targets(), specDir, cloneDir);
    // Context documents, spec/context/input hashes, constraints: see SpecDriven.
    SpecDriven specDriven = SpecDriven.prepare(spec, specFile, targets);
    List<Task> tasks =
        Planner.plan(
            spec,
            targets,
            AgentPlanner.forSpec(spec, a -> specDriven.withContext(AgentFactory.create(a, specDir)), planCache));
    List<Agent> agents = specDriven.withContext(implementingAgents(spec, specDir));
    return new ChangeJob(
        spec,
        targets,
        specDriven.stamp(tasks, agents, samplesOf(spec), specDir),
        agents,
        samplesOf(spec),
        adaptiveOf(spec),
        spec.implement() != null && !spec.implement().cascade().isEmpty(),
        votingStrategyOf(spec),
        resolverOf(spec, specDir).map(specDriven::withContext).orElse(null),
        VerifyLoop.of(spec, specDir, specDriven),
        specDriven,
        AgentCallPlan.of(spec, specDir));
  }

  /** The context documents, hashes and constraints of this job. */
  public SpecDriven specDriven() {
    return specDriven;
  }

  public Spec spec() {
    return spec;
  }

  /** The resolved target repositories, in spec order. */
  public List<Target> targets() {
    return targets;
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

  /** Budget, prices and cache of the job's agent calls. */
  public AgentCallPlan agentCalls() {
    return agentCalls;
  }

  /**
   * Adds the job's stages to {@code pipeline}; returns the final outcome of every task. With
   * {@link MergeOptions#getBranch()} set, the branch is checked first (an {@link
   * IllegalArgumentException} says why it cannot be written).
   */
  public PCollection<Outcome> expandInto(Pipeline pipeline, String outputDir, String workDir) {
    PipelineOptions options = pipeline.getOptions();
    // One run id for every stage that calls agents: they share one budget, provider limits and recording.
    String runId = UUID.randomUUID().toString();
    CheckCandidates check = new CheckCandidates(specDriven.constraints(), workDir, sandboxOf(spec));
    // A cheaper cascade tier settles a task only when the verifier accepts its winner twice: a
    // doubt is what the stronger tier is for. Other winners need one acceptance.
    BiFunction<List<Agent>, Integer, DecideTasks> decide =
        (implementers, winnerConfirmations) ->
            new DecideTasks(
                agentCalls
                    .configure(
                        ImplementTasks.with(implementers).withSamples(samples).withWorkDir(workDir), options, outputDir)
                    .withRunId(runId),
                adaptive,
                check,
                votingStrategy,
                verifyLoop == null
                    ? voted -> voted
                    : voted ->
                        verifyLoop.expand(
                            voted, votingStrategy instanceof BestOfVote, winnerConfirmations, check, agentCalls,
                            options, outputDir, workDir, runId));
    PCollection<Task> planned = pipeline.apply("Plan", Create.of(tasks).withCoder(JsonCoder.of(Task.class)));
    PCollection<Outcome> verified =
        cascade ? decideInTiers(planned, decide) : planned.apply("Decide", decide.apply(agents, 1));
    PCollectionTuple reduced =
        verified.apply("ReduceConflicts", reduceConflicts(workDir, options.as(MergeOptions.class).getBranch()));
    PCollection<Outcome> outcomes = reduced.get(ReduceConflicts.OUTCOMES);
    outcomes.apply("WritePatches", WritePatches.to(outputDir));
    outcomes.apply("WriteResults", WriteResults.to(outputDir));
    reduced.get(ReduceConflicts.SERIES).apply("WriteRepoSeries", WriteRepoSeries.to(outputDir));
    return outcomes;
  }

  /**
   * The model cascade: tier i's agent decides the tasks the tiers before it could not settle; the
   * outcome of an escalated task keeps the evidence and costs of every tier it went through.
   */
  private PCollection<Outcome> decideInTiers(
      PCollection<Task> planned, BiFunction<List<Agent>, Integer, DecideTasks> decide) {
    List<PCollection<Outcome>> settled = new ArrayList<>();
    PCollection<Task> pending = planned;
    PCollection<Outcome> earlier = null;
    for (int tier = 1; tier <= agents.size(); tier++) {
      int number = tier;
      int confirmations = tier < agents.size() ? CHEAPER_TIER_CONFIRMATIONS : 1;
      PCollection<Outcome> outcomes =
          pending.apply("Tier" + tier, decide.apply(List.of(agents.get(tier - 1)), confirmations));
      outcomes =
          earlier == null
              ? outcomes
                  .apply("MarkTier1", MapElements.into(TypeDescriptor.of(Outcome.class)).via((Outcome o) -> o.atTier(number)))
                  .setCoder(JsonCoder.of(Outcome.class))
              : outcomes.apply("AfterTier" + tier, CascadeTiers.after(earlier, tier));
      if (tier == agents.size()) {
        settled.add(outcomes);
        break;
      }
      PCollectionTuple split = outcomes.apply("SplitTier" + tier, CascadeTiers.split(tier));
      settled.add(split.get(CascadeTiers.SETTLED));
      earlier = split.get(CascadeTiers.ESCALATED);
      pending = earlier.apply("EscalateTier" + tier, CascadeTiers.tasks()).setCoder(JsonCoder.of(Task.class));
    }
    return PCollectionList.of(settled).apply("AllTiers", Flatten.pCollections());
  }

  /** The Merge step: target checks, the resolver and the branch. */
  private ReduceConflicts reduceConflicts(String workDir, String branch) {
    ReduceConflicts reduce = ReduceConflicts.inWorkDir(workDir).withSandbox(sandboxOf(spec));
    for (Target target : targets) {
      reduce =
          reduce.withTargetCheck(
              target.id(),
              new TargetCheck(Planner.testCommandOf(spec, target), Planner.testTimeoutOf(spec)));
    }
    if (resolver != null) {
      reduce = reduce.withResolver(resolver);
    }
    if (branch != null && !branch.isEmpty()) {
      reduce = reduce.withBranch(branch, checkBranch(branch));
    }
    return reduce;
  }

  /**
   * The targets that get branch {@code name}: every local target (clones of URLs are Converge's
   * own and are left out). Throws {@link IllegalArgumentException} when one of them cannot take it.
   */
  public Set<String> checkBranch(String name) {
    List<Target> local = targets.stream().filter(Target::local).toList();
    if (local.isEmpty()) {
      throw new IllegalArgumentException(
          "--branch: every target is a URL; branches are only made in local repositories");
    }
    for (Target target : local) {
      Optional<String> problem = Branches.problem(target.repo().toString(), name);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("--branch: " + problem.get());
      }
    }
    return local.stream().map(Target::id).collect(Collectors.toSet());
  }

  /**
   * The agents of {@code implement.agents}; by default every agent except the resolver, the
   * planner and the verifier, repair and final agents.
   */
  private static List<Agent> implementingAgents(Spec spec, Path specDir) {
    Map<String, AgentSpec> byId =
        spec.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity()));
    Set<String> helpers = new java.util.HashSet<>(VerifyLoop.agentIds(spec));
    if (spec.merge() != null && spec.merge().resolver() != null) {
      helpers.add(spec.merge().resolver());
    }
    if (spec.plan() != null && spec.plan().agent() != null) {
      helpers.add(spec.plan().agent());
    }
    List<String> ids =
        spec.implement() == null || spec.implement().agents().isEmpty()
            ? spec.agents().stream().map(AgentSpec::id).filter(id -> !helpers.contains(id)).toList()
            : spec.implement().agents();
    if (spec.implement() != null && !spec.implement().cascade().isEmpty()) {
      ids = spec.implement().cascade();
    }
    return ids.stream().map(id -> AgentFactory.create(byId.get(id), specDir)).toList();
  }

  private static Optional<Agent> resolverOf(Spec spec, Path specDir) {
    if (spec.merge() == null || spec.merge().resolver() == null) {
      return Optional.empty();
    }
    return spec.agents().stream()
        .filter(a -> a.id().equals(spec.merge().resolver()))
        .findFirst()
        .map(a -> AgentFactory.create(a, specDir));
  }

  /** How to sample adaptively, or null for {@code sampling: fixed}. */
  private static UnaryOperator<SampleAdaptively> adaptiveOf(Spec spec) {
    if (spec.implement() == null || !spec.implement().adaptiveSampling()) {
      return null;
    }
    AdaptiveSpec bounds =
        spec.implement().adaptive() == null ? new AdaptiveSpec(null, null, null, null, null) : spec.implement().adaptive();
    int min = Objects.requireNonNullElse(bounds.minSamples(), ADAPTIVE_MIN_SAMPLES);
    int max = Objects.requireNonNullElse(bounds.maxSamples(), ADAPTIVE_MAX_SAMPLES);
    int wave = Objects.requireNonNullElse(bounds.wave(), 1);
    StoppingRule rule =
        new StoppingRule(
            Objects.requireNonNullElse(bounds.agree(), 3), Objects.requireNonNullElse(bounds.margin(), 2));
    return sampler -> sampler.withSamples(min, max).withWave(wave).withRule(rule);
  }

  /** How the job's test commands are confined ({@code test.sandbox}, default auto). */
  private static Sandbox sandboxOf(Spec spec) {
    return spec.test() == null || spec.test().sandbox() == null ? Sandbox.AUTO : Sandbox.named(spec.test().sandbox());
  }

  /** Verifier acceptances a cheaper cascade tier's winner needs to settle its task. */
  static final int CHEAPER_TIER_CONFIRMATIONS = 2;

  /** Adaptive sampling's default bounds. */
  static final int ADAPTIVE_MIN_SAMPLES = 3;

  static final int ADAPTIVE_MAX_SAMPLES = 9;

  /** Samples per agent and task; with adaptive sampling, the most a task can get. */
  private static int samplesOf(Spec spec) {
    if (spec.implement() != null && spec.implement().adaptiveSampling()) {
      AdaptiveSpec bounds = spec.implement().adaptive();
      return bounds == null || bounds.maxSamples() == null ? ADAPTIVE_MAX_SAMPLES : bounds.maxSamples();
    }
    return spec.implement() == null || spec.implement().samples() == null
        ? 1
        : spec.implement().samples();
  }


  private static VotingStrategy votingStrategyOf(Spec spec) {
    String name =
        spec.vote() == null || spec.vote().strategy() == null ? "majority" : spec.vote().strategy();
    return switch (name) {
      case "majority" -> MajorityVote.create();
      case "quorum" -> QuorumVote.of(spec.vote().quorum());
      case "unanimous" -> UnanimousVote.create();
      case "best-of" -> BestOfVote.create();
      case "first" -> FirstPassingVote.create();
      default -> throw new IllegalArgumentException("unknown vote strategy '" + name + "'");
    };
  }
}
