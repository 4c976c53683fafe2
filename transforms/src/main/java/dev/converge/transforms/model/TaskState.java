package dev.converge.transforms.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The terminal state of a task. Every task ends in exactly one of these. */
public enum TaskState {
  /** A candidate passed the tests, won the vote and combined cleanly with the other tasks. */
  MERGED,
  /** Candidates were produced but none survived the test gate and the vote. */
  REJECTED,
  /** The winning candidate could not be combined with another task's change. */
  CONFLICT,
  /** No candidate could be produced (agent crash, timeout, infrastructure error). */
  FAILED;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
