package dev.converge.pipelines.plan;

import dev.converge.pipelines.spec.FanOutSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.TaskSpec;
import dev.converge.transforms.model.Task;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Plan step of a static plan: explicit tasks plus one task per file matching each fan-out glob.
 * With one target, task ids are used as written; with several, every task id is prefixed with its
 * target id ({@code target/task}). A task's test command is its own {@code test}, else its target's
 * {@code test}, else the spec's {@code test.command}.
 */
public final class Planner {
  /** Used when neither the task nor the spec's {@code test} gives a timeout. */
  public static final int DEFAULT_TEST_TIMEOUT_SECONDS = 600;

  private Planner() {}

  public static List<Task> plan(Spec spec, List<Target> targets) throws PlanException {
    boolean prefix = targets.size() > 1;
    Set<String> targetIds = new HashSet<>();
    targets.forEach(t -> targetIds.add(t.id()));
    for (int i = 0; i < spec.plan().tasks().size(); i++) {
      String target = spec.plan().tasks().get(i).target();
      // The parser checks references to targets it knows; list and glob targets are known only now.
      if (target != null && !targetIds.contains(target)) {
        throw new PlanException(
            "plan.tasks[" + i + "].target: unknown target '" + target + "' (targets: "
                + String.join(", ", targets.stream().map(Target::id).toList()) + ")");
      }
    }
    List<Task> tasks = new ArrayList<>();
    for (Target target : targets) {
      for (TaskSpec task : spec.plan().tasks()) {
        if (task.target() == null || task.target().equals(target.id())) {
          tasks.add(task(spec, target, prefix, task.id(), task.instructions(), task.files(), task.test()));
        }
      }
      for (int i = 0; i < spec.plan().forEachFile().size(); i++) {
        tasks.addAll(fanOut(spec, target, prefix, spec.plan().forEachFile().get(i), i));
      }
    }
    Set<String> seen = new HashSet<>();
    for (Task task : tasks) {
      if (!seen.add(task.id())) {
        throw new PlanException("plan: two tasks have the id '" + task.id() + "'");
      }
    }
    if (tasks.isEmpty()) {
      throw new PlanException("plan: no tasks (check the forEachFile globs and task targets)");
    }
    return tasks;
  }

  private static List<Task> fanOut(
      Spec spec, Target target, boolean prefix, FanOutSpec fanOut, int index) throws PlanException {
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + fanOut.glob());
    } catch (IllegalArgumentException e) {
      throw new PlanException(
          "plan.forEachFile[" + index + "].glob: not a valid glob: " + e.getMessage(), e);
    }
    List<Task> tasks = new ArrayList<>();
    for (String file : target.files()) {
      if (matcher.matches(Path.of(file))) {
        tasks.add(
            task(
                spec,
                target,
                prefix,
                fill(fanOut.id(), file),
                fill(fanOut.instructions(), file),
                List.of(file),
                fanOut.test() == null ? null : fill(fanOut.test(), file)));
      }
    }
    return tasks;
  }

  /** Replaces {@code {path}}, {@code {name}} and {@code {stem}} with the file's values. */
  static String fill(String template, String file) {
    String name = Path.of(file).getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return template.replace("{path}", file).replace("{name}", name).replace("{stem}", stem);
  }

  private static Task task(
      Spec spec,
      Target target,
      boolean prefix,
      String id,
      String instructions,
      List<String> files,
      String testOverride) {
    Integer timeout = spec.test().timeoutSeconds();
    return new Task(
        prefix ? target.id() + "/" + id : id,
        target.id(),
        target.repo().toString(),
        target.commit(),
        instructions,
        files,
        spec.goal(),
        testOverride != null ? testOverride : testCommandOf(spec, target),
        timeout != null ? timeout : DEFAULT_TEST_TIMEOUT_SECONDS);
  }

  /** The test command of a target's tasks and combined change: the target's own, else the spec's. */
  public static String testCommandOf(Spec spec, Target target) {
    return target.test() != null ? target.test() : spec.test().command();
  }

  /** The test timeout of the spec. */
  public static int testTimeoutOf(Spec spec) {
    Integer timeout = spec.test().timeoutSeconds();
    return timeout != null ? timeout : DEFAULT_TEST_TIMEOUT_SECONDS;
  }
}
