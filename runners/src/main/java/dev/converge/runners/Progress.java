package dev.converge.runners;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.report.board.Board;
import dev.converge.transforms.report.board.BoardCard;
import dev.converge.transforms.report.board.BoardColumn;
import dev.converge.transforms.report.board.RunningTasks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a running job shows: one console line (tasks per stage, agent calls and how many are in
 * flight, tests, cache hits, elapsed time) and, when asked, a live {@code board.html}. On a terminal
 * the line is rewritten in place every second; elsewhere (CI logs) a plain line is printed every
 * five seconds, without control characters.
 */
final class Progress {
  static final Duration TERMINAL_EVERY = Duration.ofSeconds(1);
  static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

  private final String spec;
  private final String runner;
  private final String outputDir;
  private final List<Task> tasks;
  private final int attemptsPerTask;
  private final PrintStream console;
  private final boolean terminal;
  private final int boardEverySeconds;

  private Progress(
      String spec,
      String runner,
      String outputDir,
      List<Task> tasks,
      int attemptsPerTask,
      PrintStream console,
      boolean terminal,
      int boardEverySeconds) {
    this.spec = spec;
    this.runner = runner;
    this.outputDir = outputDir;
    this.tasks = List.copyOf(tasks);
    this.attemptsPerTask = attemptsPerTask;
    this.console = console;
    this.terminal = terminal;
    this.boardEverySeconds = boardEverySeconds;
  }

  /** Progress of {@code job}; the line is rewritten in place only when it goes to a terminal. */
  static Progress of(ChangeJob job, String runner, String outputDir, PrintStream console) {
    boolean terminal = console == System.out && System.console() != null;
    return of(job.spec().name(), runner, outputDir, job.tasks(), job.agents().size() * job.samples(), console)
        .withTerminal(terminal);
  }

  static Progress of(
      String spec, String runner, String outputDir, List<Task> tasks, int attemptsPerTask, PrintStream console) {
    return new Progress(spec, runner, outputDir, tasks, attemptsPerTask, console, false, 0);
  }

  Progress withTerminal(boolean newTerminal) {
    return new Progress(spec, runner, outputDir, tasks, attemptsPerTask, console, newTerminal, boardEverySeconds);
  }

  /** Also rewrite {@code board.html} every {@code seconds} while the job runs (0: never). */
  Progress withBoardEverySeconds(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("--board-every must be 0 or more seconds, got " + seconds);
    }
    return new Progress(spec, runner, outputDir, tasks, attemptsPerTask, console, terminal, seconds);
  }

  /** Starts reporting from {@code result}'s metrics; close the watch when the job has ended. */
  ProgressWatch watch(PipelineResult result, long startNanos) {
    return new ProgressWatch(
            this,
            () -> ProgressSnapshot.of(result.metrics()),
            () -> (System.nanoTime() - startNanos) / 1e9)
        .start();
  }

  PrintStream console() {
    return console;
  }

  boolean terminal() {
    return terminal;
  }

  int boardEverySeconds() {
    return boardEverySeconds;
  }

  String outputDir() {
    return outputDir;
  }

  /** The console line, for example {@code 0:07 · tasks: 2 planned, 5 implementing, ...}. */
  String line(ProgressSnapshot snapshot, double elapsedSeconds) {
    Map<BoardColumn, Long> stages =
        cards(snapshot).stream().collect(Collectors.groupingBy(BoardCard::column, Collectors.counting()));
    Function<BoardColumn, Long> count = column -> stages.getOrDefault(column, 0L);
    // Attempts beyond the planned ones are repair rounds (they count under the same task ids).
    long attemptsDone =
        snapshot.attemptsDone().values().stream().mapToLong(n -> Math.min(n, attemptsPerTask)).sum();
    long repairs =
        snapshot.attemptsDone().values().stream().mapToLong(n -> Math.max(0, n - attemptsPerTask)).sum();
    String verifying =
        (repairs > 0 ? " · repairs " + repairs : "")
            + (snapshot.verifierCalls() > 0 ? " · verifier calls " + snapshot.verifierCalls() : "");
    String inFlight =
        snapshot.agentCallsInFlight().isPresent()
            ? ", ~" + snapshot.agentCallsInFlight().getAsLong() + " in flight"
            : "";
    return String.format(
        Locale.ROOT,
        "converge: %s · tasks: %d planned, %d implementing, %d testing, %d verifying"
            + " · agent calls %d/%d done%s%s · tests %d · cache hits %d",
        clock(elapsedSeconds),
        count.apply(BoardColumn.PLANNED),
        count.apply(BoardColumn.IMPLEMENTING),
        count.apply(BoardColumn.TESTING),
        count.apply(BoardColumn.VERIFYING),
        attemptsDone,
        (long) tasks.size() * attemptsPerTask,
        inFlight,
        verifying,
        snapshot.testRuns(),
        snapshot.cacheHits());
  }

  /** The live board: every task in its stage column; end states appear when the job ends. */
  Board board(ProgressSnapshot snapshot, double elapsedSeconds) {
    return Board.running(spec, runner, cards(snapshot), elapsedSeconds, boardEverySeconds);
  }

  private List<BoardCard> cards(ProgressSnapshot snapshot) {
    return RunningTasks.cards(tasks, attemptsPerTask, snapshot.attemptsDone(), snapshot.candidatesTested());
  }

  private static String clock(double elapsedSeconds) {
    long seconds = (long) elapsedSeconds;
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
