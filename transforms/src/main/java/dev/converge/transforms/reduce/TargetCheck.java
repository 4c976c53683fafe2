package dev.converge.transforms.reduce;

import java.io.Serializable;
import java.util.Objects;

/**
 * The test command that checks a repository's combined change (usually the target's test
 * command), run with {@code sh -c} in a checkout of the combination.
 *
 * @param command the shell command; exit code 0 passes
 * @param timeoutSeconds the command is killed after this many seconds
 */
public record TargetCheck(String command, int timeoutSeconds) implements Serializable {
  public TargetCheck {
    Objects.requireNonNull(command, "command");
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeoutSeconds must be at least 1, got " + timeoutSeconds);
    }
  }
}
