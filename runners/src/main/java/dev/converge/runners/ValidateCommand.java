package dev.converge.runners;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.review.ReviewJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code converge validate SPEC}: checks the spec and its plan without calling any agent. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a spec: fields, types, references, targets and the plan. Calls no agent but",
      "the planner of plan.agent (its answer is cached for the run).",
      "Exits 0 when the spec is valid, 2 with one line per problem when it is not."
    })
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The spec file (YAML).")
  Path spec;

  @Override
  public Integer call() throws Exception {
    if (ReviewLauncher.isReview(spec.toString())) {
      ReviewJob review = ReviewLauncher.compile(spec, Storage.defaultOutputDir(spec.toString()));
      System.out.printf(
          "%s is valid: a review of %d files in %d targets against %d rules by %d reviewers (next run: %s)%n",
          spec, review.files().size(), review.targets().size(), review.rules().size(),
          review.reviewers().size(), review.plan().why());
      return Converge.EXIT_OK;
    }
    ChangeJob job = new JobLauncher(System.out).compile(spec);
    System.out.printf(
        "%s is valid: %d tasks, %d agents x %d samples%n",
        spec, job.tasks().size(), job.agents().size(), job.samples());
    return Converge.EXIT_OK;
  }
}
