package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Task;
import java.util.List;
import java.util.Map;

/**
 * Places the tasks of a running job in the board's stage columns from per-task progress counts
 * (the metrics {@code ImplementTasks} and {@code TestCandidates} publish while the job runs).
 */
public final class RunningTasks {
  private RunningTasks() {}

  /**
   * One card per planned task.
   *
   * @param attemptsPerTask agent calls every task gets (agents x samples)
   * @param attemptsDone finished agent attempts per task id (missing: none yet)
   * @param candidatesTested candidates through the test gate per task id (missing: none yet)
   */
  public static List<BoardCard> cards(
      List<Task> tasks,
      int attemptsPerTask,
      Map<String, Long> attemptsDone,
      Map<String, Long> candidatesTested) {
    return tasks.stream()
        .map(
            task -> {
              long done = attemptsDone.getOrDefault(task.id(), 0L);
              long tested = candidatesTested.getOrDefault(task.id(), 0L);
              BoardColumn column = columnOf(done, tested, attemptsPerTask);
              return BoardCard.running(task, column, note(column, done, tested, attemptsPerTask));
            })
        .toList();
  }

  /** The stage of a task that has {@code done} of its attempts and {@code tested} candidates. */
  public static BoardColumn columnOf(long done, long tested, int attemptsPerTask) {
    if (done == 0) {
      return BoardColumn.PLANNED;
    }
    if (done < attemptsPerTask) {
      return BoardColumn.IMPLEMENTING;
    }
    return tested < attemptsPerTask ? BoardColumn.TESTING : BoardColumn.VERIFYING;
  }

  private static String note(BoardColumn column, long done, long tested, int attemptsPerTask) {
    return switch (column) {
      case PLANNED -> "waiting for an agent";
      case IMPLEMENTING -> done + " of " + attemptsPerTask + " agent calls done";
      case TESTING -> tested + " of " + attemptsPerTask + " candidates tested";
      default -> "voting and merging";
    };
  }
}
