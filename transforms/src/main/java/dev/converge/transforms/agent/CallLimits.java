package dev.converge.transforms.agent;

import java.io.Serializable;
import java.time.Duration;

/**
 * How calls of an agent are limited. Agents with the same {@link Agent#providerKey()} share one
 * concurrency limit and one pair of rate limits in a worker JVM; when they declare different
 * values, the strictest applies. Attempts, timeout and backoff are each agent's own.
 *
 * @param concurrency calls in flight at once (0: the transform's default)
 * @param requestsPerMinute requests started in any 60 s window (0: no limit)
 * @param tokensPerMinute tokens (input + output) in any 60 s window (0: no limit)
 * @param maxAttempts requests per call, first try included, before the call fails
 * @param timeout how long one request may take
 * @param backoffBase the first retry waits about this long (doubled each retry, with jitter)
 * @param backoffMax no retry waits longer than this unless the provider's Retry-After says so
 */
public record CallLimits(
    int concurrency,
    int requestsPerMinute,
    long tokensPerMinute,
    int maxAttempts,
    Duration timeout,
    Duration backoffBase,
    Duration backoffMax)
    implements Serializable {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** No rate limits, the default concurrency, 5 attempts, 10 minute timeout, 1 s to 60 s backoff. */
  public static final CallLimits DEFAULT =
      new CallLimits(
          0, 0, 0, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, Duration.ofSeconds(1), Duration.ofSeconds(60));

  public CallLimits {
    if (concurrency < 0 || requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (backoffBase == null || backoffBase.isNegative() || backoffMax == null || backoffMax.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative");
    }
  }

  public CallLimits withConcurrency(int value) {
    return new CallLimits(value, requestsPerMinute, tokensPerMinute, maxAttempts, timeout, backoffBase, backoffMax);
  }

  public CallLimits withRequestsPerMinute(int value) {
    return new CallLimits(concurrency, value, tokensPerMinute, maxAttempts, timeout, backoffBase, backoffMax);
  }

  public CallLimits withTokensPerMinute(long value) {
    return new CallLimits(concurrency, requestsPerMinute, value, maxAttempts, timeout, backoffBase, backoffMax);
  }

  public CallLimits withMaxAttempts(int value) {
    return new CallLimits(concurrency, requestsPerMinute, tokensPerMinute, value, timeout, backoffBase, backoffMax);
  }

  public CallLimits withTimeout(Duration value) {
    return new CallLimits(concurrency, requestsPerMinute, tokensPerMinute, maxAttempts, value, backoffBase, backoffMax);
  }

  public CallLimits withBackoff(Duration base, Duration max) {
    return new CallLimits(concurrency, requestsPerMinute, tokensPerMinute, maxAttempts, timeout, base, max);
  }

  /**
   * These limits with the strictest shared limits (concurrency, requests and tokens per minute) of
   * both; 0 ("none" or "default") loses to any value. Attempts, timeout and backoff stay this
   * agent's own.
   */
  public CallLimits strictestSharedLimits(CallLimits other) {
    return new CallLimits(
        minPositive(concurrency, other.concurrency),
        minPositive(requestsPerMinute, other.requestsPerMinute),
        minPositive(tokensPerMinute, other.tokensPerMinute),
        maxAttempts,
        timeout,
        backoffBase,
        backoffMax);
  }

  private static int minPositive(int a, int b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }

  private static long minPositive(long a, long b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }
}
