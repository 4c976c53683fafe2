package dev.converge.pipelines.specdriven;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Violation;
import dev.converge.transforms.workspace.Worktrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which task outcomes changed between two runs of a spec ({@code converge diff OLD_OUT NEW_OUT}),
 * and why: the task's inputs (instructions, files, goal, base commit, context documents, agents),
 * the checks applied to the same inputs (test command, constraints, vote), or the agents' answers.
 */
public final class RunDiff {
  private RunDiff() {}

  /** How a task differs between the two runs. */
  public enum Change {
    ADDED,
    REMOVED,
    CHANGED,
    SAME;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One task in the diff.
   *
   * @param task the task id
   * @param change how it differs
   * @param oldState its state in the old run ({@code ""} when it was not there)
   * @param newState its state in the new run ({@code ""} when it is not there)
   * @param rerun whether the new run called its agents (false: they were answered from the cache)
   * @param why the reasons, in words (empty for tasks that are the same)
   */
  public record TaskDiff(
      String task, Change change, String oldState, String newState, boolean rerun, List<String> why) {}

  public static List<TaskDiff> compare(List<Outcome> oldOutcomes, List<Outcome> newOutcomes) {
    Map<String, Outcome> before = byTask(oldOutcomes);
    Map<String, Outcome> after = byTask(newOutcomes);
    TreeSet<String> ids = new TreeSet<>(before.keySet());
    ids.addAll(after.keySet());
    List<TaskDiff> diffs = new ArrayList<>();
    for (String id : ids) {
      Outcome o = before.get(id);
      Outcome n = after.get(id);
      if (o == null) {
        diffs.add(new TaskDiff(id, Change.ADDED, "", n.state().label(), rerun(n), List.of("new task in the plan")));
      } else if (n == null) {
        diffs.add(new TaskDiff(id, Change.REMOVED, o.state().label(), "", false, List.of("no longer in the plan")));
      } else {
        diffs.add(compare(o, n));
      }
    }
    return diffs;
  }

  private static TaskDiff compare(Outcome o, Outcome n) {
    boolean stateChanged = o.state() != n.state();
    boolean patchChanged = !Worktrees.patchHash(o.patch()).equals(Worktrees.patchHash(n.patch()));
    boolean rerun = rerun(n);
    if (!stateChanged && !patchChanged) {
      List<String> notes = new ArrayList<>();
      if (!inputChanges(o.task(), n.task()).isEmpty()) {
        notes.add("same outcome, although " + String.join("; ", inputChanges(o.task(), n.task())));
      }
      return new TaskDiff(o.task().id(), Change.SAME, o.state().label(), n.state().label(), rerun, notes);
    }
    List<String> why = new ArrayList<>();
    if (!stateChanged) {
      why.add("it merged a different change");
    }
    List<String> inputs = inputChanges(o.task(), n.task());
    if (!inputs.isEmpty()) {
      why.addAll(inputs);
    } else {
      why.add(rerun ? "same inputs, but the agents answered differently" : "same inputs and the same candidates");
      if (!Objects.equals(o.task().testCommand(), n.task().testCommand())) {
        why.add("test command changed: " + o.task().testCommand() + " -> " + n.task().testCommand());
      }
      if (!o.task().specHash().equals(n.task().specHash())) {
        why.add("the spec changed elsewhere (constraints, drift, vote or merge)");
      }
    }
    why.addAll(violationChanges(o, n));
    why.add("now: " + n.reason());
    return new TaskDiff(o.task().id(), Change.CHANGED, o.state().label(), n.state().label(), rerun, why);
  }

  /** What changed in what the task's agents are given. */
  static List<String> inputChanges(Task o, Task n) {
    List<String> changes = new ArrayList<>();
    if (!Objects.equals(o.instructions(), n.instructions())) {
      changes.add("instructions changed: \"" + o.instructions() + "\" -> \"" + n.instructions() + "\"");
    }
    if (!Objects.equals(o.files(), n.files())) {
      changes.add("files changed: " + o.files() + " -> " + n.files());
    }
    if (!Objects.equals(o.goal(), n.goal())) {
      changes.add("goal changed");
    }
    if (!Objects.equals(o.baseCommit(), n.baseCommit())) {
      changes.add("base commit moved: " + shortCommit(o.baseCommit()) + " -> " + shortCommit(n.baseCommit()));
    }
    if (!Objects.equals(o.contextHash(), n.contextHash())) {
      changes.add("context documents changed");
    }
    if (changes.isEmpty()
        && !o.inputHash().isEmpty()
        && !n.inputHash().isEmpty()
        && !o.inputHash().equals(n.inputHash())) {
      changes.add("the agents or samples changed");
    }
    return changes;
  }

  /** Rules that reject candidates now and did not before, and the other way round. */
  private static List<String> violationChanges(Outcome o, Outcome n) {
    Map<String, Violation> before = firstViolations(o);
    Map<String, Violation> after = firstViolations(n);
    List<String> notes = new ArrayList<>();
    after.forEach(
        (label, v) -> {
          if (!before.containsKey(label)) {
            notes.add(label + " now violates " + v.describe());
          }
        });
    before.forEach(
        (label, v) -> {
          if (!after.containsKey(label)) {
            notes.add(label + " no longer violates " + v.rule());
          }
        });
    return notes;
  }

  private static Map<String, Violation> firstViolations(Outcome outcome) {
    Map<String, Violation> byLabel = new TreeMap<>();
    for (Candidate c : outcome.candidates()) {
      if (c.violatesSpec()) {
        byLabel.put(c.label(), c.violations().get(0));
      }
    }
    return byLabel;
  }

  private static boolean rerun(Outcome outcome) {
    return outcome.candidates().stream().anyMatch(Candidate::calledAgent);
  }

  private static String shortCommit(String commit) {
    return commit == null || commit.length() < 10 ? String.valueOf(commit) : commit.substring(0, 10);
  }

  private static Map<String, Outcome> byTask(List<Outcome> outcomes) {
    Map<String, Outcome> byId = new LinkedHashMap<>();
    outcomes.forEach(o -> byId.put(o.task().id(), o));
    return byId;
  }
}
