package dev.converge.transforms.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when someone sleeps: a sleep of d that starts at t ends at t + d (so
 * concurrent sleepers do not add up), and returns at once. Sleeps are recorded.
 */
final class FakeTime implements TimeSource {
  private static final long serialVersionUID = 1L;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public long nowMillis() {
    return now.get();
  }

  @Override
  public void sleep(Duration duration) {
    long start = now.get();
    synchronized (sleeps) {
      sleeps.add(duration);
    }
    now.accumulateAndGet(start + duration.toMillis(), Math::max);
  }

  List<Duration> sleeps() {
    synchronized (sleeps) {
      return List.copyOf(sleeps);
    }
  }
}
