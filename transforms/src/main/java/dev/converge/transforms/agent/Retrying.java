package dev.converge.transforms.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The retry loop of model calls: exponential backoff with jitter, Retry-After honoured (never an
 * earlier retry), a fixed number of attempts, and hooks that run before and after every request
 * (rate limits, budget).
 */
public final class Retrying {
  /** A provider that asks for a longer wait than this is not waited for: the call fails instead. */
  public static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(15);

  /**
   * Whether a request may start, and when it did.
   *
   * @param refusal why it must not start (null when it may)
   * @param startedAtMillis when it was let through (negative: now)
   */
  public record Admission(String refusal, long startedAtMillis) {
    public static Admission refused(String reason) {
      return new Admission(reason, -1);
    }

    public static Admission at(long startedAtMillis) {
      return new Admission(null, startedAtMillis);
    }
  }

  /** Runs around every request. */
  public interface Gate {
    /**
     * Before a request: checks the budget and waits for rate limits; says whether the request may
     * start and when it was let through.
     */
    Admission beforeRequest(int attempt) throws InterruptedException;

    /** After a request, with what it used (0 when it failed without an answer). */
    void afterRequest(long inputTokens, long outputTokens);
  }

  /** A gate that never stops a request. */
  public static final Gate OPEN =
      new Gate() {
        @Override
        public Admission beforeRequest(int attempt) {
          return Admission.at(-1);
        }

        @Override
        public void afterRequest(long inputTokens, long outputTokens) {}
      };

  /**
   * How a call ended.
   *
   * @param reply the answer, or null
   * @param failure why there is no answer (empty when there is one)
   * @param refused whether a gate refused a request (the budget), rather than the provider failing
   * @param attempts requests made
   * @param startedAtMillis when the first request started (0 when none did)
   * @param durationMillis from the first request to the end, waits between retries included
   */
  public record Outcome(
      ModelReply reply, String failure, boolean refused, int attempts, long startedAtMillis, long durationMillis) {}

  private Retrying() {}

  public static Outcome call(
      ModelAgent agent, ModelCall first, Gate gate, TimeSource time, long jitterSeed)
      throws InterruptedException {
    CallLimits limits = agent.limits();
    SplittableRandom random = new SplittableRandom(jitterSeed);
    long started = 0;
    String lastFailure = "";
    for (int attempt = 1; attempt <= limits.maxAttempts(); attempt++) {
      Admission admission = gate.beforeRequest(attempt);
      if (admission.refusal() != null) {
        return new Outcome(
            null,
            attempt == 1 ? admission.refusal() : admission.refusal() + " (after: " + lastFailure + ")",
            true,
            attempt - 1,
            started,
            started == 0 ? 0 : time.nowMillis() - started);
      }
      if (started == 0) {
        started = admission.startedAtMillis() >= 0 ? admission.startedAtMillis() : time.nowMillis();
      }
      ModelCall call =
          new ModelCall(first.task(), first.prompt(), first.sample(), attempt, limits.timeout(), time);
      try {
        ModelReply reply = agent.call(call);
        gate.afterRequest(reply.inputTokens(), reply.outputTokens());
        return new Outcome(reply, "", false, attempt, started, time.nowMillis() - started);
      } catch (AgentCallException e) {
        gate.afterRequest(0, 0);
        lastFailure = e.reason();
        boolean last = attempt == limits.maxAttempts();
        if (!e.retryable() || last) {
          String reason =
              attempt > 1 ? e.reason() + " (after " + attempt + " attempts)" : e.reason();
          return new Outcome(null, reason, false, attempt, started, time.nowMillis() - started);
        }
        Optional<Duration> retryAfter = e.retryAfter();
        if (retryAfter.isPresent() && retryAfter.get().compareTo(LONGEST_RETRY_AFTER) > 0) {
          return new Outcome(
              null,
              e.reason() + " (the provider asked to wait " + retryAfter.get().toSeconds() + " s; not waiting)",
              false,
              attempt,
              started,
              time.nowMillis() - started);
        }
        time.sleep(delay(attempt, retryAfter, limits, random));
      }
    }
    throw new IllegalStateException("unreachable: maxAttempts is at least 1");
  }

  /**
   * The wait before retry number {@code failedAttempts}: what Retry-After asked plus up to 10 %
   * (at most 1 s) of jitter; without it, {@code base * 2^(n-1)} capped at {@code max}, of which a
   * random half is waited ("equal jitter").
   */
  static Duration delay(
      int failedAttempts, Optional<Duration> retryAfter, CallLimits limits, SplittableRandom random) {
    if (retryAfter.isPresent()) {
      long asked = Math.max(0, retryAfter.get().toMillis());
      long jitter = Math.min(1000, asked / 10);
      return Duration.ofMillis(asked + (jitter > 0 ? random.nextLong(jitter + 1) : 0));
    }
    long base = limits.backoffBase().toMillis();
    long cap = limits.backoffMax().toMillis();
    long exponential = base << Math.min(30, failedAttempts - 1);
    long capped = Math.min(cap, exponential < 0 ? cap : exponential);
    long half = capped / 2;
    return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
  }
}
