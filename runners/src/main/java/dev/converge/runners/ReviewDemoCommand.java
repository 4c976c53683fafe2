package dev.converge.runners;

import dev.converge.transforms.review.ReviewOutputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code converge review-demo}: the offline review demo, scored against its planted issues. */
@Command(
    name = "review-demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the offline review demo: copies specs/examples/security-review.yaml and its folder",
      "(a small service and its policy documents with planted issues, three scripted reviewers",
      "of different quality and a verifier) to OUT/review-input, reviews them, and prints the",
      "precision and recall of the reported findings against the planted issues. Running it again",
      "with the same --out reviews only what changed. Needs no network and no API keys."
    })
final class ReviewDemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "converge-review-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--full", description = "Review every file, even those unchanged since the last run in --out.")
  boolean full;

  @Mixin RunOptionsMixin runOptions;

  @Override
  public Integer call() throws Exception {
    Path outputDir = out.toAbsolutePath().normalize();
    Path spec = ReviewDemo.materialize(ReviewDemo.examples(), outputDir.resolve(ReviewDemo.INPUT_FOLDER));
    System.out.println("review demo spec and folders: " + spec.getParent());
    ReviewOutputs.Finished finished =
        new ReviewLauncher(System.out).run(runOptions.toOptions(spec.toString(), outputDir.toString()), null, full);
    List<ReviewDemo.Planted> planted = ReviewDemo.planted(spec.getParent());
    System.out.println();
    System.out.println("against the " + planted.size() + " planted issues (" + ReviewDemo.FOLDER + "/planted.json):");
    System.out.println("  converged: " + ReviewDemo.score(finished.reported(), planted).describe());
    for (Map.Entry<String, ReviewDemo.Score> reviewer : ReviewDemo.scoreReviewers(finished.clusters(), planted).entrySet()) {
      System.out.println("  " + reviewer.getKey() + " alone: " + reviewer.getValue().describe());
    }
    return Converge.EXIT_OK;
  }
}
