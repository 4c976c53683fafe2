package dev.converge.pipelines.spec;

import java.util.List;

/**
 * The static plan: explicit tasks plus fan-outs that create one task per matching file. At least one
 * of the two lists is non-empty.
 */
public record PlanSpec(List<TaskSpec> tasks, List<FanOutSpec> forEachFile) {
  public PlanSpec {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    forEachFile = forEachFile == null ? List.of() : List.copyOf(forEachFile);
  }
}
