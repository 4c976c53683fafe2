package dev.converge.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of spec-driven runs, read with {@code options.as(SpecDrivenOptions.class)}: the approved
 * plan a run must match.
 */
public interface SpecDrivenOptions extends PipelineOptions {
  @Description("An approved plan.json (from `converge plan`); the run is refused when the spec no longer matches it.")
  @Default.String("")
  String getPlanFile();

  void setPlanFile(String value);
}
