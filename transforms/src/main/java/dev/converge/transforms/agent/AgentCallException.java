package dev.converge.transforms.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * A request to a provider that did not give an answer. Whether it is worth retrying, and how long
 * the provider asked to wait first, travel with it.
 */
public final class AgentCallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final Duration retryAfter;

  private AgentCallException(String reason, boolean retryable, Duration retryAfter, Throwable cause) {
    super(reason, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** HTTP 429 or the provider's own "slow down"; {@code retryAfter} may be null. */
  public static AgentCallException rateLimited(String reason, Duration retryAfter) {
    return new AgentCallException(reason, true, retryAfter, null);
  }

  /** A failure that may go away: 5xx, overload, a dropped connection, a timeout. */
  public static AgentCallException transientFailure(String reason, Duration retryAfter, Throwable cause) {
    return new AgentCallException(reason, true, retryAfter, cause);
  }

  /** A failure that a retry cannot fix: bad key, bad request, unknown model, a broken answer. */
  public static AgentCallException permanent(String reason) {
    return new AgentCallException(reason, false, null, null);
  }

  /** The reason as it goes into the candidate (never holds a secret). */
  public String reason() {
    return getMessage();
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
