package dev.converge.transforms.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What came out of one agent call, before any test was run. */
public enum CandidateStatus {
  /** The agent left a non-empty diff in its worktree. */
  PRODUCED,
  /** The agent ended normally but changed nothing. */
  NO_CHANGE,
  /** The agent crashed, timed out, or its worktree could not be prepared. */
  AGENT_FAILED;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
