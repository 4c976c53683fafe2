package dev.converge.runners;

import java.util.Arrays;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;

/**
 * Named sets of Beam pipeline options, so users pick {@code --runner direct}, {@code --runner
 * flink-local} or {@code --runner flink} instead of learning Beam's flags. docs/flink.md lists what
 * each profile sets.
 */
public enum RunnerProfile {
  /** Beam's Direct Runner in this JVM: nothing to start, the default on a laptop. */
  DIRECT {
    @Override
    void configure(ConvergeOptions options) {
      options.setRunner(DirectRunner.class);
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setTargetParallelism(FlinkProfiles.parallelismOr(options, ConvergeOptions.DEFAULT_JOB_PARALLELISM));
      // run() returns at once, so the job's progress can be read while JobLauncher waits for it.
      direct.setBlockOnRun(false);
      // The checks that every element is unmodified and encodable re-encode each element (JSON)
      // around every transform: a test aid (TestPipeline keeps them) that costs seconds per
      // thousand candidates. Converge's model records are immutable and always encoded anyway.
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
    }
  },

  /** Flink in this JVM (a mini cluster, flinkMaster {@code [local]}): Flink's semantics, nothing to start. */
  FLINK_LOCAL {
    @Override
    void configure(ConvergeOptions options) {
      FlinkProfiles.configureLocal(options);
    }
  },

  /** A Flink session cluster at {@code --flink-master HOST:PORT}; see scripts/flink-cluster.sh. */
  FLINK {
    @Override
    void configure(ConvergeOptions options) {
      FlinkProfiles.configureCluster(options);
    }
  };

  abstract void configure(ConvergeOptions options);

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The profile named {@code name}, or an error that lists the known ones. */
  public static RunnerProfile named(String name) {
    return Arrays.stream(values())
        .filter(p -> p.label().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown runner '" + name + "'; known runners: "
                        + String.join(", ", Arrays.stream(values()).map(RunnerProfile::label).toList())));
  }
}
