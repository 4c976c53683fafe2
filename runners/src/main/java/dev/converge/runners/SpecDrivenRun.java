package dev.converge.runners;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.specdriven.PlanFile;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The approval gate of {@code converge run --plan}: before the pipeline starts, the job must still be
 * the approved plan (same spec file, context documents and base commits).
 */
final class SpecDrivenRun {
  private SpecDrivenRun() {}

  /** The plan of a compiled job, as {@code converge plan} writes it. */
  static PlanFile planOf(ChangeJob job, Path specFile) {
    return PlanFile.of(
        job.spec().name(), specFile, job.tasks(), job.agents(), job.samples(), job.specDriven(),
        job.spec().prices());
  }

  /** Throws a {@link PlanException} (exit code 2) when {@code --plan} is given and does not match. */
  static void checkApprovedPlan(ChangeJob job, Path specFile, SpecDrivenOptions options, PrintStream console)
      throws PlanException {
    if (options.getPlanFile().isEmpty()) {
      return;
    }
    Path planFile = Path.of(options.getPlanFile());
    PlanFile approved = PlanFile.read(planFile);
    approved.verify(planOf(job, specFile), planFile);
    console.printf(
        "converge: the spec matches the approved plan %s (hash %s)%n",
        planFile, approved.planHash().substring(0, Math.min(12, approved.planHash().length())));
  }
}
