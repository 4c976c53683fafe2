package dev.converge.pipelines.change;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Pipeline options of agent calls, read with {@code options.as(AgentCallOptions.class)} so any
 * options object can carry them ({@code converge run --cache DIR --no-cache --record FILE} and
 * {@code --parallelism} set them).
 */
public interface AgentCallOptions extends PipelineOptions {

  @Description("Folder of the answer cache; empty: the spec's cache.dir, else 'cache' in the output folder.")
  @Default.String("")
  String getAgentCacheDir();

  void setAgentCacheDir(String value);

  @Description("Cache mode that overrides the spec's: readwrite, refresh or off; empty: the spec's.")
  @Default.String("")
  String getAgentCacheMode();

  void setAgentCacheMode(String value);

  @Description("Cassette file that every live agent call is recorded to; empty: no recording.")
  @Default.String("")
  String getRecordFile();

  void setRecordFile(String value);

  @Description("Bundles the agent calls are spread over (the Direct Runner's thread count); 0: 1.")
  @Default.Integer(0)
  int getAgentSpread();

  void setAgentSpread(int value);

  @Description("Calls in flight at once for agents that declare no concurrency; 0: 8.")
  @Default.Integer(0)
  int getAgentConcurrency();

  void setAgentConcurrency(int value);
}
