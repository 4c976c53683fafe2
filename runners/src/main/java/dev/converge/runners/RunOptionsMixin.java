package dev.converge.runners;

import dev.converge.pipelines.change.AgentCallOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Option;

/** Flags shared by every command that runs a job. */
final class RunOptionsMixin {
  @Option(
      names = "--runner",
      defaultValue = "direct",
      description =
          "Runner profile: direct, flink-local (Flink in this JVM) or flink (a Flink cluster, with"
              + " --flink-master) (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(
      names = "--flink-master",
      paramLabel = "HOST:PORT",
      description = "REST address of the Flink cluster for --runner flink, e.g. 127.0.0.1:8081.")
  String flinkMaster;

  @Option(
      names = "--parallelism",
      description =
          "Agent runs and tests at once (default: 8; on --runner flink, every task slot of the cluster).")
  Integer parallelism;

  @Option(
      names = "--gcs-endpoint",
      paramLabel = "URL",
      description =
          "Send gs:// reads and writes to this GCS endpoint instead of Google's, e.g. an emulator at"
              + " http://127.0.0.1:4443 (endpoints on this machine get no credentials).")
  String gcsEndpoint;

  @Option(
      names = "--work-dir",
      description = "Folder for private git worktrees (default: a temporary folder, removed at the end).")
  String workDir;

  @Option(
      names = "--board-every",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Rewrite board.html every SECONDS while the job runs (default: only when it ends).")
  int boardEverySeconds;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Folder of the agent answer cache (default: the spec's cache.dir, else cache/ in the output folder).")
  String cacheDir;

  @Option(names = "--no-cache", description = "Call every agent; neither read nor write the answer cache.")
  boolean noCache;

  @Option(
      names = "--record",
      paramLabel = "FILE",
      description = "Record every live agent call to this cassette, for agents of type replay.")
  String recordFile;

  ConvergeOptions toOptions(String spec, String outputDir) {
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    }
    ConvergeOptions options = PipelineOptionsFactory.create().as(ConvergeOptions.class);
    options.setJobName("converge");
    options.setSpec(spec);
    options.setOutputDir(outputDir);
    options.setRunnerProfile(runner);
    options.setJobParallelism(parallelism);
    if (flinkMaster != null) {
      options.as(FlinkPipelineOptions.class).setFlinkMaster(flinkMaster);
    }
    options.setWorkDir(workDir == null ? "" : workDir);
    Storage.configure(options, gcsEndpoint);
    if (boardEverySeconds < 0) {
      throw new IllegalArgumentException("--board-every must be 0 or more seconds, got " + boardEverySeconds);
    }
    options.as(ProgressOptions.class).setBoardEverySeconds(boardEverySeconds);
    AgentCallOptions calls = options.as(AgentCallOptions.class);
    calls.setAgentCacheDir(cacheDir == null ? "" : cacheDir);
    calls.setAgentCacheMode(noCache ? "off" : "");
    calls.setRecordFile(recordFile == null ? "" : recordFile);
    calls.setAgentConcurrency(parallelism == null ? 0 : parallelism);
    // One bundle of agent calls per Direct Runner thread (see ImplementTasks#withSpread).
    calls.setAgentSpread(parallelism == null ? ConvergeOptions.DEFAULT_JOB_PARALLELISM : parallelism);
    return options;
  }
}
