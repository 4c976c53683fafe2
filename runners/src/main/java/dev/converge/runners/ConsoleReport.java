package dev.converge.runners;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.Summary;
import java.io.PrintStream;

/** The short report printed when a job ends: one line per task, the counts, and where the files are. */
final class ConsoleReport {
  private static final int REASON_WIDTH = 100;

  private ConsoleReport() {}

  static void print(PrintStream out, Summaries.Finished finished, String outputDir) {
    int idWidth =
        finished.outcomes().stream().mapToInt(o -> o.task().id().length()).max().orElse(4);
    out.println();
    for (Outcome outcome : finished.outcomes()) {
      out.printf(
          "  %-8s  %-" + idWidth + "s  %s%n",
          outcome.state().label(),
          outcome.task().id(),
          shorten(outcome.reason()));
    }
    Summary summary = finished.summary();
    out.println();
    out.printf(
        "%d tasks: %d merged, %d rejected, %d conflict, %d failed — %d agent calls, %d cache hits, %.1f s%n",
        summary.tasks(),
        summary.count(TaskState.MERGED),
        summary.count(TaskState.REJECTED),
        summary.count(TaskState.CONFLICT),
        summary.count(TaskState.FAILED),
        summary.agentCalls(),
        summary.cacheHits(),
        summary.wallSeconds());
    if (summary.tokens() > 0 || summary.costUsd() > 0) {
      out.printf(java.util.Locale.ROOT, "agent usage: %d tokens, %.4f USD%n", summary.tokens(), summary.costUsd());
    }
    out.println("outputs: " + outputDir);
    out.println("  patches/       one .patch per merged task (git am / git apply)");
    out.println("  repos/         one .mbox per repository: its merged tasks as commits (git am)");
    out.println("  results.jsonl  every task with its candidates, tests and votes");
    out.println("  summary.json   the counts above");
    out.println("  board.html     the board: every task with its attempts, tests and votes (open in a browser)");
  }

  private static String shorten(String reason) {
    String oneLine = reason.replaceAll("\\s+", " ").strip();
    return oneLine.length() > REASON_WIDTH ? oneLine.substring(0, REASON_WIDTH - 1) + "…" : oneLine;
  }
}
