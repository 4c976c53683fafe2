package dev.converge.runners;

import dev.converge.pipelines.change.AgentCallPlan;
import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.plan.PlanCache;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecException;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.Summary;
import dev.converge.transforms.report.board.Board;
import dev.converge.transforms.report.board.BoardFiles;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs one spec end to end: parse, plan, build the Beam pipeline, run it on the chosen runner, then
 * finish the outputs (sorted results and summary) and print a short report.
 */
public final class JobLauncher {
  private final PrintStream console;

  public JobLauncher(PrintStream console) {
    this.console = console;
  }

  /**
   * Parses and plans without running anything, as {@code converge run SPEC} without flags would:
   * a planner agent's answers are read from and kept in that run's cache folder, so the run that
   * follows plans the same tasks without asking the planner again.
   */
  public ChangeJob compile(Path specFile) throws SpecException, PlanException, IOException {
    return compile(specFile, PipelineOptionsFactory.create(), Storage.defaultOutputDir(specFile.toString()));
  }

  /**
   * Parses and plans; a planner agent's answers are cached in the cache folder of a run with
   * {@code options} into {@code outputDir}.
   */
  public ChangeJob compile(Path specFile, PipelineOptions options, String outputDir)
      throws SpecException, PlanException {
    Spec spec = SpecParser.parse(specFile);
    AgentCallPlan calls = AgentCallPlan.of(spec, specFile.toAbsolutePath().normalize().getParent());
    PlanCache planCache = new PlanCache(calls.cacheDir(options, outputDir), calls.cacheMode(options));
    return ChangeJob.compile(spec, specFile, ChangeJob.DEFAULT_CLONE_DIR, planCache);
  }

  /**
   * Runs the job of {@code options}. Its wall time ({@code summary.json}'s {@code wallSeconds}) runs
   * from here, planning included, to the last output written; the JVM's start and the parsing of the
   * command line before this call are not in it.
   */
  public Summaries.Finished run(ConvergeOptions options)
      throws SpecException, PlanException, IOException {
    long start = System.nanoTime();
    RunnerProfile profile = RunnerProfile.named(options.getRunnerProfile());
    // A gs:// spec is staged to a local folder; a gs:// output folder is written through FileSystems.
    Path specFile = Storage.localSpec(options.getSpec(), Path.of(System.getProperty("java.io.tmpdir")));
    profile.configure(options);
    FileSystems.setDefaultPipelineOptions(options);
    String outputDir = Storage.outputDir(options.getOutputDir());
    ChangeJob job = compile(specFile, options, outputDir);

    SpecDrivenRun.checkApprovedPlan(job, specFile, options.as(SpecDrivenOptions.class), console);
    Path workDir =
        options.getWorkDir().isEmpty()
            ? Files.createTempDirectory("converge-work-")
            : Files.createDirectories(Path.of(options.getWorkDir()));

    console.printf(
        "converge: %s — %d tasks x %d agents x %d samples on the %s runner%n",
        job.spec().name(), job.tasks().size(), job.agents().size(), job.samples(), profile.label());
    try {
      Pipeline pipeline = Pipeline.create(options);
      job.expandInto(pipeline, outputDir, workDir.toString());
      Progress progress =
          Progress.of(job, profile.label(), outputDir, console)
              .withBoardEverySeconds(options.as(ProgressOptions.class).getBoardEverySeconds());
      PipelineResult result = pipeline.run();
      ProgressWatch watch = progress.watch(result, start);
      try {
        result.waitUntilFinish();
      } finally {
        watch.close();
      }
    } finally {
      if (options.getWorkDir().isEmpty()) {
        Worktrees.delete(workDir);
      }
    }
    List<Outcome> outcomes = Summaries.finishResults(outputDir, job.tasks());
    String name = job.spec().name();
    BoardFiles.write(
        outputDir, Board.ended(Summary.of(name, profile.label(), outcomes, secondsSince(start)), outcomes));
    // summary.json comes last, so its wall time covers every output; the board shows the time
    // before its own rendering and writing.
    Summary summary = Summary.of(name, profile.label(), outcomes, secondsSince(start));
    Summaries.writeSummary(outputDir, summary);
    Summaries.Finished finished = new Summaries.Finished(outcomes, summary);
    ConsoleReport.print(console, finished, outputDir);
    return finished;
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
