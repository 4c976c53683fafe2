package dev.converge.pipelines.plan;

import dev.converge.pipelines.spec.TaskSpec;
import dev.converge.transforms.agent.Prompt;
import java.util.List;

/**
 * What a planner agent is asked ({@code plan.agent}): the contract of {@link PlanAnswer} as the
 * system message, the goal and the target's file list as the user message. Model agents get it as
 * their prompt; command agents on standard input (and the whole file list in a file).
 */
public final class PlanningPrompt {
  /** Bump when the contract changes, so cached plans made under the old one are not reused. */
  static final String CONTRACT_VERSION = "converge-plan-contract-1";

  /** Files listed in the prompt; a command agent finds all of them in CONVERGE_FILE_LIST. */
  static final int MAX_LISTED_FILES = 2000;

  private PlanningPrompt() {}

  public static Prompt of(String goal, Target target) {
    String system =
        """
        You are the planner of Converge, which has coding agents implement tasks in parallel, \
        each in its own checkout of the same base commit, tests every change and merges only \
        changes that pass, one task after the other in task-id order.

        Split the goal into small, independent tasks for the repository below. Answer with \
        exactly one JSON object, in a ```json block:

        ```json
        {"tasks": [{"id": "fix-parser", "instructions": "What to change, precisely", \
        "files": ["src/parser.py"], "test": "python3 -m unittest tests.test_parser"}]}
        ```

        Rules:
        - at most %d tasks, and at least one;
        - "id": unique; %s;
        - "instructions": everything an agent that sees only this task needs to know;
        - "files" (optional): existing files of the repository that the task is about, as \
        listed below; new files go in the instructions;
        - "test" (optional): a shell command, run in the repository's top folder, that must \
        pass after the change; leave it out to use the job's test command;
        - no other keys; two tasks should not change the same lines.
        """
            .formatted(PlanAnswer.MAX_TASKS, TaskSpec.ID_RULE);
    StringBuilder user = new StringBuilder("Goal:\n");
    user.append(goal == null || goal.isBlank() ? "(no goal given: follow the spec documents)" : goal.strip());
    user.append("\n\nRepository ").append(target.id()).append(" at commit ").append(target.commit());
    List<String> files = target.files();
    user.append("\nFiles (").append(files.size()).append("):\n");
    files.stream().limit(MAX_LISTED_FILES).forEach(f -> user.append(f).append('\n'));
    if (files.size() > MAX_LISTED_FILES) {
      user.append("... and ").append(files.size() - MAX_LISTED_FILES).append(" more\n");
    }
    return new Prompt(system, user.toString());
  }
}
