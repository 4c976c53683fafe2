package dev.converge.pipelines.spec;

import java.util.List;

/**
 * One explicit task.
 *
 * @param id unique task id ({@code [A-Za-z0-9._-]+})
 * @param instructions what the agent must do
 * @param target the target id; optional when the spec has exactly one target, otherwise the task
 *     runs on every target
 * @param files files the task is about (optional; handed to agents as scope)
 * @param test a test command for this task only, replacing {@code test.command} (optional)
 */
public record TaskSpec(
    String id, String instructions, String target, List<String> files, String test) {
  /** What every task id must match; the tasks of a planner agent are held to it too. */
  public static final java.util.regex.Pattern ID = SpecFormat.ID;

  /** {@link #ID} in words, for messages. */
  public static final String ID_RULE = SpecFormat.ID_RULE;

  public TaskSpec {
    files = files == null ? List.of() : List.copyOf(files);
  }
}
