package dev.converge.pipelines.spec;

import java.util.List;
import java.util.Map;

/**
 * A Converge job, as written by the user in YAML (format v1). Instances are immutable and only ever
 * built by {@link SpecParser}, which has already checked every field, so the compiler can trust them.
 *
 * @param name short job name, used in reports
 * @param kind the job kind: {@code change} (patches) or {@code review} (findings)
 * @param goal free text handed to every agent as context (optional)
 * @param targets the git repositories the job works on
 * @param plan how the goal is split into tasks
 * @param agents the agents that may be used by {@code implement}
 * @param implement which agents implement each task, and how many samples each
 * @param test the command Converge runs on every candidate
 * @param vote how passing candidates are compared
 * @param merge how the accepted changes of a repository's tasks are combined (optional)
 * @param output output folder, relative to the spec file (the CLI's {@code --out} wins)
 * @param context documents every agent is given as context (requirements, functional and technical
 *     spec), paths relative to the spec file; their hash is part of every task's inputs
 * @param constraints rules every candidate must follow, checked before it is tested (optional)
 * @param drift thresholds that reject candidates straying from their task's plan (optional)
 * @param rules review jobs: the rules reviewers check files against
 * @param reviewers review jobs: the agents that review every chunk, with their samples
 * @param consensus review jobs: how many reviewers must agree on a finding (optional)
 * @param verify review jobs: the adversarial verifier of agreed findings (optional)
 * @param chunking review jobs: how files are cut into chunks (optional)
 * @param state review jobs: the state file of incremental runs, a path relative to the spec file
 *     or a Beam FileSystems path such as {@code gs://bucket/state.json} (default: {@code
 *     review-state.json} in the output folder)
 * @param budget what agent calls may cost, per job and per task (optional)
 * @param prices USD per million input and output tokens, by model name (needed for USD budgets and
 *     costs; models not listed cost nothing)
 * @param cache where and how answers are cached (optional; default: {@code cache} in the output
 *     folder)
 */
public record Spec(
    String name,
    String kind,
    String goal,
    List<TargetSpec> targets,
    PlanSpec plan,
    List<AgentSpec> agents,
    ImplementSpec implement,
    TestSpec test,
    VoteSpec vote,
    MergeSpec merge,
    String output,
    List<String> context,
    ConstraintsSpec constraints,
    DriftSpec drift,
    List<RuleSpec> rules,
    List<ReviewerSpec> reviewers,
    ConsensusSpec consensus,
    VerifySpec verify,
    ChunkingSpec chunking,
    String state,
    BudgetSpec budget,
    Map<String, PriceSpec> prices,
    CacheSpec cache) {

  public Spec {
    targets = List.copyOf(targets);
    agents = List.copyOf(agents);
    context = context == null ? List.of() : List.copyOf(context);
    rules = rules == null ? List.of() : List.copyOf(rules);
    reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    prices = prices == null ? Map.of() : Map.copyOf(prices);
  }

  /** A spec without {@code budget}, {@code prices} and {@code cache}. */
  public Spec(
      String name,
      String kind,
      String goal,
      List<TargetSpec> targets,
      PlanSpec plan,
      List<AgentSpec> agents,
      ImplementSpec implement,
      TestSpec test,
      VoteSpec vote,
      MergeSpec merge,
      String output,
      List<String> context,
      ConstraintsSpec constraints,
      DriftSpec drift,
      List<RuleSpec> rules,
      List<ReviewerSpec> reviewers,
      ConsensusSpec consensus,
      VerifySpec verify,
      ChunkingSpec chunking,
      String state) {
    this(
        name, kind, goal, targets, plan, agents, implement, test, vote, merge, output, context,
        constraints, drift, rules, reviewers, consensus, verify, chunking, state, null, null, null);
  }

  /** A spec without the fields of review jobs. */
  public Spec(
      String name,
      String kind,
      String goal,
      List<TargetSpec> targets,
      PlanSpec plan,
      List<AgentSpec> agents,
      ImplementSpec implement,
      TestSpec test,
      VoteSpec vote,
      MergeSpec merge,
      String output,
      List<String> context,
      ConstraintsSpec constraints,
      DriftSpec drift) {
    this(
        name, kind, goal, targets, plan, agents, implement, test, vote, merge, output, context,
        constraints, drift, null, null, null, null, null, null);
  }

  /** Whether this is a review job ({@code kind: review}), which reports findings, not patches. */
  public boolean isReview() {
    return "review".equals(kind);
  }

  /** A spec without {@code context}, {@code constraints} and {@code drift}. */
  public Spec(
      String name,
      String kind,
      String goal,
      List<TargetSpec> targets,
      PlanSpec plan,
      List<AgentSpec> agents,
      ImplementSpec implement,
      TestSpec test,
      VoteSpec vote,
      MergeSpec merge,
      String output) {
    this(name, kind, goal, targets, plan, agents, implement, test, vote, merge, output, null, null, null);
  }

  /** A spec without a {@code merge} section. */
  public Spec(
      String name,
      String kind,
      String goal,
      List<TargetSpec> targets,
      PlanSpec plan,
      List<AgentSpec> agents,
      ImplementSpec implement,
      TestSpec test,
      VoteSpec vote,
      String output) {
    this(name, kind, goal, targets, plan, agents, implement, test, vote, null, output);
  }
}
