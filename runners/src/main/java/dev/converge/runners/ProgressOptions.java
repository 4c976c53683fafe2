package dev.converge.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Pipeline options for what a running job shows: the console line and the live board. */
public interface ProgressOptions extends PipelineOptions {

  @Description("Rewrite board.html every this many seconds while the job runs; 0: only at the end.")
  @Default.Integer(0)
  int getBoardEverySeconds();

  void setBoardEverySeconds(int value);
}
