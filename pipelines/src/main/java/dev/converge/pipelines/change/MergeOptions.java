package dev.converge.pipelines.change;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Pipeline options of the Merge step. Read with {@code options.as(MergeOptions.class)}, so any
 * options object can carry them ({@code converge run --branch NAME} sets them).
 */
public interface MergeOptions extends PipelineOptions {

  @Description(
      "Create this branch in every local target repository, with one commit per merged task;"
          + " the working tree, index and current branch are not touched. Empty: no branch.")
  @Default.String("")
  String getBranch();

  void setBranch(String value);
}
