package dev.converge.transforms.agent;

import java.io.Serializable;
import java.time.Duration;

/**
 * The clock and the sleeper of agent calls: rate limits, backoff, Retry-After and simulated latency
 * all go through it, so tests can run them on a fake clock without waiting.
 */
public interface TimeSource extends Serializable {

  /** Milliseconds on a monotonic clock (for the system clock: close to epoch millis). */
  long nowMillis();

  /** Waits {@code duration}; a fake clock just moves on. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real clock. */
  static TimeSource system() {
    return SystemTime.INSTANCE;
  }

  /** Real time: monotonic (from {@link System#nanoTime()}) but anchored at the epoch time of start. */
  enum SystemTime implements TimeSource {
    INSTANCE;

    private static final long EPOCH_AT_START = System.currentTimeMillis();
    private static final long NANOS_AT_START = System.nanoTime();

    @Override
    public long nowMillis() {
      return EPOCH_AT_START + (System.nanoTime() - NANOS_AT_START) / 1_000_000;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      long millis = duration.toMillis();
      if (millis > 0) {
        Thread.sleep(millis);
      }
    }
  }
}
