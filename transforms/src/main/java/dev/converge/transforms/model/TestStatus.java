package dev.converge.transforms.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The result of the test gate for one candidate. */
public enum TestStatus {
  PASSED,
  FAILED,
  TIMED_OUT,
  /** The candidate's patch did not apply to a fresh worktree. */
  PATCH_FAILED,
  /** The candidate had no patch to test. */
  NOT_RUN;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
