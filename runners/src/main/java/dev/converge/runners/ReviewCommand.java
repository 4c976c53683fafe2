package dev.converge.runners;

import dev.converge.transforms.review.ReviewOutputs;
import dev.converge.transforms.review.Severity;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code converge review SPEC}: runs a review job, incrementally, with an exit code for cron. */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a review spec (kind: review): reviewers report findings per chunk and rule, a quorum",
      "of them must agree, a verifier tries to refute each agreed finding; writes findings.sarif,",
      "findings.jsonl, results.jsonl, calls.jsonl, summary.json and board.html. Only files that",
      "are new or changed since the state file's run are reviewed.",
      "",
      "Exit codes: 0 the review ran (and, with --fail-on, found nothing new at that severity);",
      "3 --fail-on: new findings of that severity or worse appeared; 2 bad input; 1 internal error."
    })
final class ReviewCommand implements Callable<Integer> {
  /** New findings at or above the --fail-on severity appeared. */
  static final int EXIT_NEW_FINDINGS = 3;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The review spec (YAML): a local path or gs://bucket/path.")
  String spec;

  @Option(
      names = "--out",
      description = "Output folder, a local path or gs://bucket/path (default: the spec's `output`, else `out` next to the spec).")
  String out;

  @Option(
      names = "--state",
      paramLabel = "PATH",
      description = "State file of incremental runs, a local path or gs://... (default: the spec's `state`, else review-state.json in the output folder).")
  String state;

  @Option(names = "--full", description = "Review every file, even those unchanged since the last run.")
  boolean full;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      description = "Exit with code 3 when new findings of this severity or worse appeared: critical, high, medium or low.")
  String failOn;

  @Mixin RunOptionsMixin runOptions;

  @Override
  public Integer call() throws Exception {
    Severity threshold = failOn == null ? null : severity(failOn);
    ConvergeOptions options = runOptions.toOptions(spec, out == null ? "" : out);
    if (out == null) {
      options.setOutputDir(Storage.defaultOutputDir(spec));
    }
    ReviewOutputs.Finished finished = new ReviewLauncher(System.out).run(options, state, full);
    if (threshold != null) {
      int fresh = finished.summary().newAtLeast(threshold);
      if (fresh > 0) {
        System.out.printf("converge: %d new findings of severity %s or worse%n", fresh, threshold.label());
        return EXIT_NEW_FINDINGS;
      }
    }
    return Converge.EXIT_OK;
  }

  private static Severity severity(String name) {
    try {
      return Severity.of(name.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fail-on: " + e.getMessage());
    }
  }
}
