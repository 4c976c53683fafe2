package dev.converge.runners;

import dev.converge.transforms.report.board.BoardFiles;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Prints a running job's progress line and rewrites its live board from a background thread until
 * closed. A failed metrics query or board write skips one update; it never stops the job.
 */
final class ProgressWatch implements AutoCloseable {
  private final Progress progress;
  private final Supplier<ProgressSnapshot> metrics;
  private final DoubleSupplier elapsedSeconds;
  private ScheduledExecutorService scheduler;
  private ProgressSnapshot lastSnapshot = ProgressSnapshot.NOTHING_YET;
  private int lastLineLength;
  private boolean boardFailureReported;

  ProgressWatch(Progress progress, Supplier<ProgressSnapshot> metrics, DoubleSupplier elapsedSeconds) {
    this.progress = progress;
    this.metrics = metrics;
    this.elapsedSeconds = elapsedSeconds;
  }

  ProgressWatch start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "converge-progress");
              thread.setDaemon(true);
              return thread;
            });
    long lineMillis = (progress.terminal() ? Progress.TERMINAL_EVERY : Progress.PLAIN_EVERY).toMillis();
    scheduler.scheduleAtFixedRate(
        this::printLine, progress.terminal() ? 0 : lineMillis, lineMillis, TimeUnit.MILLISECONDS);
    if (progress.boardEverySeconds() > 0) {
      scheduler.scheduleAtFixedRate(this::writeBoard, 0, progress.boardEverySeconds(), TimeUnit.SECONDS);
    }
    return this;
  }

  /** Prints the line: in place on a terminal, as a new plain line elsewhere. */
  void printLine() {
    ProgressSnapshot snapshot = snapshot();
    String line = progress.line(snapshot, elapsedSeconds.getAsDouble());
    if (progress.terminal()) {
      String padding = " ".repeat(Math.max(0, lastLineLength - line.length()));
      progress.console().print("\r" + line + padding);
      lastLineLength = line.length();
    } else {
      progress.console().println(line);
    }
    progress.console().flush();
  }

  void writeBoard() {
    try {
      BoardFiles.write(progress.outputDir(), progress.board(snapshot(), elapsedSeconds.getAsDouble()));
    } catch (IOException | RuntimeException e) {
      if (!boardFailureReported) {
        boardFailureReported = true;
        progress.console().println("converge: cannot update the live board: " + e.getMessage());
      }
    }
  }

  /** Stops the updates; on a terminal, shows the final counts and ends the line. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (progress.terminal()) {
      printLine();
      progress.console().println();
    }
  }

  private ProgressSnapshot snapshot() {
    try {
      lastSnapshot = metrics.get();
    } catch (RuntimeException e) {
      // Metrics can be unavailable while a runner starts or tears down; keep showing the last ones.
    }
    return lastSnapshot;
  }
}
