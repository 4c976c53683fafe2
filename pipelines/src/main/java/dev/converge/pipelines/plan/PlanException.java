package dev.converge.pipelines.plan;

/** A spec that is well-formed but cannot be planned, for example a target that is not a git repository. */
public final class PlanException extends Exception {
  public PlanException(String message) {
    super(message);
  }

  public PlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
