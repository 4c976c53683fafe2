package dev.converge.pipelines.spec;

import java.util.List;

/**
 * A Converge job, as written by the user in YAML (format v1). Instances are immutable and only ever
 * built by {@link SpecParser}, which has already checked every field, so the compiler can trust them.
 *
 * @param name short job name, used in reports
 * @param kind the job kind; only {@code change} in v1
 * @param goal free text handed to every agent as context (optional)
 * @param targets the git repositories the job works on
 * @param plan how the goal is split into tasks
 * @param agents the agents that may be used by {@code implement}
 * @param implement which agents implement each task, and how many samples each
 * @param test the command Converge runs on every candidate
 * @param vote how passing candidates are compared
 * @param output output folder, relative to the spec file (the CLI's {@code --out} wins)
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
    String output) {

  public Spec {
    targets = List.copyOf(targets);
    agents = List.copyOf(agents);
  }
}
