package dev.converge.runners;

import dev.converge.transforms.review.FindingCluster;
import dev.converge.transforms.review.ReviewOutputs;
import dev.converge.transforms.review.ReviewSummary;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The short report printed when a review ends: the findings, what was filtered, the counts. */
final class ReviewConsoleReport {
  private static final int TEXT_WIDTH = 90;

  private ReviewConsoleReport() {}

  static void print(PrintStream out, ReviewOutputs.Finished finished, String outputDir, String statePath) {
    List<FindingCluster> shown =
        finished.clusters().stream()
            .sorted(
                Comparator.comparing((FindingCluster c) -> !c.reported())
                    .thenComparing(FindingCluster::severity)
                    .thenComparing(FindingCluster::fileKey)
                    .thenComparingInt(FindingCluster::startLine))
            .toList();
    int locationWidth = shown.stream().mapToInt(c -> location(c).length()).max().orElse(8);
    out.println();
    for (FindingCluster c : shown) {
      out.printf(
          "  %-13s %-8s %-" + locationWidth + "s  %-18s %s%n",
          c.state().label() + (c.reported() && c.newFinding() ? "*" : ""),
          c.severity().label(),
          location(c),
          c.rule(),
          shorten(c.reported() ? c.message() : c.reason()));
    }
    ReviewSummary s = finished.summary();
    out.println();
    Map<String, Integer> states = s.states();
    out.printf(
        "%d findings reported (%s; %d new, marked *), %d fixed — filtered: %d no-quorum, %d refuted, %d verify-failed%n",
        s.findings(),
        s.bySeverity().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", ")),
        s.newFindings(),
        s.fixed(),
        states.get("no-quorum"),
        states.get("refuted"),
        states.get("verify-failed"));
    out.printf(
        "%d files in scope: %d reviewed, %d unchanged, %d deleted, %d skipped — %d reviewer calls (%d failed), %d verifier calls (%d failed), %.1f s%n",
        s.files(), s.filesReviewed(), s.filesUnchanged(), s.filesDeleted(), s.filesSkipped(),
        s.reviewerCalls(), s.failedReviewerCalls(), s.verifierCalls(), s.failedVerifications(), s.wallSeconds());
    out.println("outputs: " + outputDir);
    out.println("  findings.sarif  the reported findings as SARIF 2.1.0 (GitHub code scanning: one run per target)");
    out.println("  findings.jsonl  the reported findings, one JSON object per line");
    out.println("  results.jsonl   every cluster of findings with its state and reason (filtered ones too, for audit)");
    out.println("  calls.jsonl     every reviewer call: status, reason, findings");
    out.println("  summary.json    the counts above");
    out.println("  board.html      the findings view (open in a browser)");
    out.println("state: " + statePath + " (the next run reviews only new and changed files)");
  }

  private static String location(FindingCluster c) {
    return c.fileKey() + ":" + c.startLine() + (c.endLine() != c.startLine() ? "-" + c.endLine() : "");
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() > TEXT_WIDTH ? oneLine.substring(0, TEXT_WIDTH - 1) + "…" : oneLine;
  }
}
