package dev.converge.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The pipeline options of a Converge job; the CLI fills them from its flags. */
public interface ConvergeOptions extends PipelineOptions {

  @Description("Path of the spec file (YAML).")
  @Validation.Required
  String getSpec();

  void setSpec(String value);

  @Description("Output folder: patches/, results.jsonl, summary.json.")
  @Validation.Required
  String getOutputDir();

  void setOutputDir(String value);

  @Description("Folder for private git worktrees; each is removed when its agent or test ends.")
  @Default.String("")
  String getWorkDir();

  void setWorkDir(String value);

  @Description("Runner profile: direct (default), flink-local or flink.")
  @Default.String("direct")
  String getRunnerProfile();

  void setRunnerProfile(String value);

  /**
   * How many agent runs and tests may run at once; {@code null} picks the profile's default. Not
   * named {@code parallelism}: Flink's options own that name (with another type).
   */
  @Description(
      "How many agent runs and tests may run at once: Direct Runner threads or Flink parallelism."
          + " Default: 8, or every task slot of the cluster on the flink profile.")
  Integer getJobParallelism();

  void setJobParallelism(Integer value);

  /** The parallelism to use when none was asked for. */
  int DEFAULT_JOB_PARALLELISM = 8;
}
