package dev.converge.transforms.report.board;

import dev.converge.transforms.model.TaskState;
import java.util.Locale;

/**
 * The board's columns: the stages a task passes through while the job runs, then its terminal
 * state. In a finished job every task sits in one of the four terminal columns.
 */
public enum BoardColumn {
  PLANNED("Planned"),
  IMPLEMENTING("Implementing"),
  TESTING("Testing"),
  VERIFYING("Verifying"),
  MERGED("Merged"),
  REJECTED("Rejected"),
  CONFLICT("Conflict"),
  FAILED("Failed");

  private final String title;

  BoardColumn(String title) {
    this.title = title;
  }

  /** The column of a task that ended in {@code state}. */
  public static BoardColumn of(TaskState state) {
    return valueOf(state.name());
  }

  /** Lower-case id used in markup and filters; equals {@link TaskState#label()} for end states. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String title() {
    return title;
  }

  public boolean terminal() {
    return ordinal() >= MERGED.ordinal();
  }
}
