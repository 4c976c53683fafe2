package dev.converge.runners;

import dev.converge.pipelines.change.MergeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code converge run SPEC}: runs a job and writes its outputs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a spec: Plan -> Implement -> Test -> Vote -> Merge, and writes patches/,",
      "repos/, results.jsonl and summary.json to the output folder. The target",
      "repositories are never modified, except for the branch that --branch asks for.",
      "A review spec (kind: review) runs as `converge review SPEC` does, with its defaults."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SPEC",
      description = "The spec file (YAML): a local path or gs://bucket/path.")
  String spec;

  @Option(
      names = "--out",
      description =
          "Output folder, a local path or gs://bucket/path (default: the spec's `output`, else"
              + " `out` next to the spec).")
  String out;

  @Option(
      names = "--branch",
      paramLabel = "NAME",
      description = {
        "Also create branch NAME in every local target repository, with one commit per merged",
        "task (made with JGit: the working tree, index and current branch are not touched)."
      })
  String branch;

  @Option(
      names = "--plan",
      paramLabel = "PLAN_JSON",
      description = {
        "Run exactly this approved plan (from `converge plan`); refused with exit code 2 when",
        "the spec, its context documents or a target's base commit changed since."
      })
  String plan;

  @Mixin RunOptionsMixin runOptions;

  @Override
  public Integer call() throws Exception {
    ConvergeOptions options = runOptions.toOptions(spec, out == null ? "" : out);
    if (out == null) {
      // After toOptions: reading a gs:// spec needs the file systems it configured.
      options.setOutputDir(Storage.defaultOutputDir(spec));
    }
    if (ReviewLauncher.isReview(spec)) {
      // kind: review makes no change; `converge review` has the review-only flags.
      if (branch != null) {
        throw new IllegalArgumentException("--branch: a review job changes no repository");
      }
      new ReviewLauncher(System.out).run(options, null, false);
      return Converge.EXIT_OK;
    }
    options.as(MergeOptions.class).setBranch(branch == null ? "" : branch);
    options.as(SpecDrivenOptions.class).setPlanFile(plan == null ? "" : plan);
    new JobLauncher(System.out).run(options);
    return Converge.EXIT_OK;
  }
}
