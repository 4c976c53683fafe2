package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import java.util.Objects;
import java.util.Optional;

/**
 * One task on the board: where it stands and, once it has ended, its outcome with all evidence.
 *
 * @param task the task
 * @param column the column the card sits in
 * @param outcome the task's outcome; empty while the task is still running
 * @param progress a short note on a running task's progress (empty once it ended)
 */
public record BoardCard(Task task, BoardColumn column, Optional<Outcome> outcome, String progress) {
  public BoardCard {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(outcome, "outcome");
    progress = progress == null ? "" : progress;
  }

  /** The repository the task works on ({@code ""} if unknown); cards are grouped and filtered by it. */
  public String target() {
    return task.target() == null ? "" : task.target();
  }

  public static BoardCard ended(Outcome outcome) {
    return new BoardCard(outcome.task(), BoardColumn.of(outcome.state()), Optional.of(outcome), "");
  }

  public static BoardCard running(Task task, BoardColumn column, String progress) {
    if (column.terminal()) {
      throw new IllegalArgumentException("a running task cannot sit in " + column.title());
    }
    return new BoardCard(task, column, Optional.empty(), progress);
  }
}
