package dev.converge.pipelines.specdriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.specdriven.RunDiff.Change;
import dev.converge.pipelines.specdriven.RunDiff.TaskDiff;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunDiffTest {
  private static Task task(String id, String instructions, List<String> files, String context, String input) {
    return new Task(id, "repo", "/r", "c".repeat(40), instructions, files, "", "true", 30, "spec", context, input);
  }

  private static Candidate candidate(String taskId, boolean cached, List<Violation> violations) {
    Candidate c =
        new Candidate(taskId, "a", "command", 0, CandidateStatus.PRODUCED, "diff", "h", "", "", 1, cached, null);
    return c.withChecks(violations, null);
  }

  private static Outcome outcome(Task task, TaskState state, String patch, Candidate candidate) {
    return new Outcome(task, state, state.label() + " because", List.of(candidate), List.of(), patch);
  }

  @Test
  void reportsChangedAddedRemovedAndSameTasksWithTheirReasons() {
    Violation drift = new Violation("drift.maxFilesOutsideScope", "x.py", "outside");
    List<Outcome> before =
        List.of(
            outcome(task("kept", "k", List.of("k.py"), "c1", "i1"), TaskState.MERGED, "p1", candidate("kept", false, List.of())),
            outcome(task("edited", "e", List.of("e.py"), "c1", "i2"), TaskState.REJECTED, "", candidate("edited", false, List.of(drift))),
            outcome(task("gone", "g", List.of(), "c1", "i3"), TaskState.MERGED, "p3", candidate("gone", false, List.of())));
    List<Outcome> after =
        List.of(
            outcome(task("kept", "k", List.of("k.py"), "c1", "i1"), TaskState.MERGED, "p1", candidate("kept", true, List.of())),
            outcome(task("edited", "e", List.of("e.py", "x.py"), "c1", "i2b"), TaskState.MERGED, "p2", candidate("edited", false, List.of())),
            outcome(task("new", "n", List.of(), "c1", "i4"), TaskState.MERGED, "p4", candidate("new", false, List.of())));

    List<TaskDiff> diffs = RunDiff.compare(before, after);
    assertEquals(List.of("edited", "gone", "kept", "new"), diffs.stream().map(TaskDiff::task).toList());
    TaskDiff edited = diffs.get(0);
    assertEquals(Change.CHANGED, edited.change());
    assertEquals("rejected", edited.oldState());
    assertEquals("merged", edited.newState());
    assertTrue(edited.rerun());
    assertTrue(edited.why().contains("files changed: [e.py] -> [e.py, x.py]"), edited.why().toString());
    assertTrue(edited.why().contains("a#0 no longer violates drift.maxFilesOutsideScope"), edited.why().toString());
    assertEquals(Change.REMOVED, diffs.get(1).change());
    assertEquals(Change.SAME, diffs.get(2).change());
    assertFalse(diffs.get(2).rerun(), "a cached candidate means the task was not re-run");
    assertEquals(Change.ADDED, diffs.get(3).change());
  }

  @Test
  void sameInputsButADifferentOutcomeBlamesTheChecksOrTheAgents() {
    Task t = task("t", "i", List.of(), "c1", "same");
    Task edited = new Task("t", "repo", "/r", "c".repeat(40), "i", List.of(), "", "true", 30, "spec2", "c1", "same");
    TaskDiff diff =
        RunDiff.compare(
                List.of(outcome(t, TaskState.MERGED, "p", candidate("t", false, List.of()))),
                List.of(outcome(edited, TaskState.REJECTED, "",
                    candidate("t", true, List.of(new Violation("constraints.maxChangedLines", "patch", "too big"))))))
            .get(0);
    assertEquals(Change.CHANGED, diff.change());
    assertTrue(diff.why().contains("same inputs and the same candidates"), diff.why().toString());
    assertTrue(diff.why().contains("the spec changed elsewhere (constraints, drift, vote or merge)"), diff.why().toString());
    assertTrue(diff.why().stream().anyMatch(w -> w.startsWith("a#0 now violates constraints.maxChangedLines at patch")), diff.why().toString());
  }

  @Test
  void contextChangesAreNamed() {
    assertEquals(
        List.of("context documents changed"),
        RunDiff.inputChanges(task("t", "i", List.of(), "c1", "x"), task("t", "i", List.of(), "c2", "y")));
  }
}
