package dev.converge.pipelines.spec;

import java.util.List;

/**
 * How the goal is split into tasks: explicit tasks, fan-outs that create one task per matching
 * file, and an optional planner agent that turns the goal and each target's file list into more
 * tasks. At least one of the three is given.
 *
 * @param agent the id of an agent that plans tasks for every target (optional); its tasks are
 *     added to the static ones. It implements no tasks unless {@code implement.agents} names it.
 */
public record PlanSpec(List<TaskSpec> tasks, List<FanOutSpec> forEachFile, String agent) {
  public PlanSpec {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    forEachFile = forEachFile == null ? List.of() : List.copyOf(forEachFile);
  }

  /** A static plan, without a planner agent. */
  public PlanSpec(List<TaskSpec> tasks, List<FanOutSpec> forEachFile) {
    this(tasks, forEachFile, null);
  }
}
