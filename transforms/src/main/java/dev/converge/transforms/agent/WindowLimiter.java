package dev.converge.transforms.agent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A rate limit such as "600 requests per minute" or "200,000 tokens per minute", shared by every
 * thread that holds it.
 *
 * <p>It is a token bucket of {@code capacity} tokens in which every token spent comes back exactly
 * one {@code window} after it was spent. A plain refilling bucket lets up to twice its capacity
 * through in one window (a full bucket, then the refill); this one never lets more than {@code
 * capacity} be spent in any window of that length, which is what a provider's per-minute limit
 * means, and it still allows bursts up to the full capacity.
 *
 * <p>Amounts larger than the capacity are clamped to it (they wait for an empty window instead of
 * waiting forever). A spent amount can be corrected afterwards ({@link Permit#settle}), for token
 * limits whose real use is known only when the answer has come.
 */
public final class WindowLimiter {
  private final long capacity;
  private final long windowMillis;
  private final TimeSource time;
  private final ArrayDeque<Spend> spent = new ArrayDeque<>();
  private long inWindow;

  public WindowLimiter(long capacity, Duration window, TimeSource time) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.windowMillis = window.toMillis();
    this.time = Objects.requireNonNull(time, "time");
  }

  /** A limit per minute. */
  public static WindowLimiter perMinute(long capacity, TimeSource time) {
    return new WindowLimiter(capacity, Duration.ofMinutes(1), time);
  }

  public long capacity() {
    return capacity;
  }

  /**
   * Waits until {@code amount} can be spent without exceeding the capacity in the window, then
   * spends it.
   */
  public Permit acquire(long amount) throws InterruptedException {
    long want = Math.max(0, Math.min(amount, capacity));
    while (true) {
      long waitMillis;
      synchronized (this) {
        long now = time.nowMillis();
        expire(now);
        if (inWindow + want <= capacity) {
          Spend spend = new Spend(now, want);
          spent.addLast(spend);
          inWindow += want;
          return new Permit(spend);
        }
        waitMillis = millisUntilFree(inWindow + want - capacity, now);
      }
      time.sleep(Duration.ofMillis(Math.max(1, waitMillis)));
    }
  }

  /** What is spent in the current window (for tests and reports). */
  public synchronized long inWindow() {
    expire(time.nowMillis());
    return inWindow;
  }

  private void expire(long now) {
    while (!spent.isEmpty() && spent.peekFirst().at + windowMillis <= now) {
      inWindow -= spent.removeFirst().amount;
    }
  }

  /** How long until at least {@code needed} of what is spent comes back. */
  private long millisUntilFree(long needed, long now) {
    long freed = 0;
    for (Spend spend : spent) {
      freed += spend.amount;
      if (freed >= needed) {
        return spend.at + windowMillis - now;
      }
    }
    return windowMillis;
  }

  private static final class Spend {
    final long at;
    long amount;

    Spend(long at, long amount) {
      this.at = at;
      this.amount = amount;
    }
  }

  /** One acquisition: when it was granted, and a way to correct its amount. */
  public final class Permit {
    private final Spend spend;

    private Permit(Spend spend) {
      this.spend = spend;
    }

    /** When the limiter granted it, on the limiter's clock. */
    public long grantedAtMillis() {
      return spend.at;
    }

    /** Replaces the amount spent by what was really used (still counted from the same time). */
    public void settle(long actual) {
      synchronized (WindowLimiter.this) {
        long corrected = Math.max(0, actual);
        if (spent.contains(spend)) {
          inWindow += corrected - spend.amount;
        }
        spend.amount = corrected;
      }
    }
  }
}
