package dev.converge.transforms.testing;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.Summary;
import java.io.IOException;
import java.util.List;

/** What JobLauncher does when a job ends, for tests that run a pipeline without it. */
public final class FinishedJobs {
  private FinishedJobs() {}

  /** The sorted results of {@code planned}, then the summary of spec {@code spec} on {@code runner}. */
  public static Summaries.Finished finish(
      String outputDir, String spec, String runner, List<Task> planned, double wallSeconds) throws IOException {
    List<Outcome> outcomes = Summaries.finishResults(outputDir, planned);
    Summary summary = Summary.of(spec, runner, outcomes, wallSeconds);
    Summaries.writeSummary(outputDir, summary);
    return new Summaries.Finished(outcomes, summary);
  }
}
