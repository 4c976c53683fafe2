package dev.converge.runners;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.review.ReviewJob;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecException;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.review.ReviewAgent;
import dev.converge.transforms.review.ReviewOutputs;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Runs one review spec end to end: parse, resolve and hash the files, read the previous state,
 * build the Beam pipeline, run it on the chosen runner, then finish the outputs (findings, SARIF,
 * summary, board, next state) and print a short report.
 */
public final class ReviewLauncher {
  private final PrintStream console;

  public ReviewLauncher(PrintStream console) {
    this.console = console;
  }

  /** Whether the spec at {@code spec} (local or remote) is a review job. */
  static boolean isReview(String spec) throws SpecException, IOException {
    return Storage.parse(spec).isReview();
  }

  /**
   * Runs the review.
   *
   * @param statePath the state file, overriding the spec's {@code state}; null for the default
   * @param full review every file, whatever the state says
   */
  public ReviewOutputs.Finished run(ConvergeOptions options, String statePath, boolean full)
      throws SpecException, PlanException, IOException {
    RunnerProfile profile = RunnerProfile.named(options.getRunnerProfile());
    Path specFile = Storage.localSpec(options.getSpec(), Path.of(System.getProperty("java.io.tmpdir")));
    Spec spec = SpecParser.parse(specFile);
    profile.configure(options);
    // Before compiling: the previous state may be on gs://.
    FileSystems.setDefaultPipelineOptions(options);
    String outputDir = Storage.outputDir(options.getOutputDir());
    ReviewJob job =
        ReviewJob.compile(spec, specFile, new ReviewJob.Settings(outputDir, statePath, full, ChangeJob.DEFAULT_CLONE_DIR));
    Path workDir =
        options.getWorkDir().isEmpty()
            ? Files.createTempDirectory("converge-review-")
            : Files.createDirectories(Path.of(options.getWorkDir()));

    console.printf(
        "converge: %s — review of %d files in %d targets (%s) against %d rules by %s, quorum %d, verifier %s, on the %s runner%n",
        spec.name(),
        job.files().size(),
        job.targets().size(),
        job.plan().why(),
        job.rules().size(),
        job.reviewers().stream()
            .map(r -> r.agent().id() + (r.samples() > 1 ? " x" + r.samples() : ""))
            .collect(Collectors.joining(", ")),
        job.quorum(),
        job.verifier().map(ReviewAgent::id).orElse("none"),
        profile.label());
    long start = System.nanoTime();
    try {
      Pipeline pipeline = Pipeline.create(options);
      job.expandInto(pipeline, outputDir, workDir.toString());
      pipeline.run().waitUntilFinish();
    } finally {
      if (options.getWorkDir().isEmpty()) {
        Worktrees.delete(workDir);
      }
    }
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    ReviewOutputs.Finished finished = job.finish(outputDir, profile.label(), wallSeconds);
    ReviewConsoleReport.print(console, finished, outputDir, job.statePath());
    return finished;
  }

  /** Compiles a review spec without running it, for {@code converge validate}. */
  static ReviewJob compile(Path specFile, String outputDir) throws SpecException, PlanException {
    Spec spec = SpecParser.parse(specFile);
    return ReviewJob.compile(spec, specFile, new ReviewJob.Settings(outputDir, null, false, ChangeJob.DEFAULT_CLONE_DIR));
  }
}
