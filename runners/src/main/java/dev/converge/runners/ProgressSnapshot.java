package dev.converge.runners;

import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.verify.VerifyOutcomes;
import dev.converge.transforms.workspace.TestCandidates;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What a running job's Beam metrics say at one moment. Runners publish metrics when a bundle ends,
 * so counts trail the work by at most one bundle (on the Direct Runner, about one agent call).
 *
 * @param attemptsDone finished agent attempts per task id
 * @param candidatesTested candidates through the test gate per task id
 * @param agentCalls agent calls made
 * @param testRuns test commands run
 * @param agentCallsInFlight agent calls running, as sampled when the last call ended; empty until
 *     one has ended
 * @param cacheHits answers from the cache (there is no cache yet, so always 0)
 * @param verifierCalls verifier calls made
 */
record ProgressSnapshot(
    Map<String, Long> attemptsDone,
    Map<String, Long> candidatesTested,
    long agentCalls,
    long testRuns,
    OptionalLong agentCallsInFlight,
    long cacheHits,
    long verifierCalls) {

  static final ProgressSnapshot NOTHING_YET =
      new ProgressSnapshot(Map.of(), Map.of(), 0, 0, OptionalLong.empty(), 0, 0);

  ProgressSnapshot {
    attemptsDone = Map.copyOf(attemptsDone);
    candidatesTested = Map.copyOf(candidatesTested);
  }

  static ProgressSnapshot of(MetricResults metrics) {
    MetricQueryResults results = metrics.queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> attemptsDone = new HashMap<>();
    Map<String, Long> tested = new HashMap<>();
    long agentCalls = 0;
    long testRuns = 0;
    long verifierCalls = 0;
    for (MetricResult<Long> counter : results.getCounters()) {
      MetricName name = counter.getName();
      long value = counter.getAttempted();
      if (name.getNamespace().equals(ImplementTasks.ATTEMPTS_DONE_BY_TASK)) {
        attemptsDone.merge(name.getName(), value, Long::sum);
      } else if (name.getNamespace().equals(TestCandidates.CANDIDATES_TESTED_BY_TASK)) {
        tested.merge(name.getName(), value, Long::sum);
      } else if (is(name, ImplementTasks.class, ImplementTasks.AGENT_CALLS)) {
        agentCalls += value;
      } else if (is(name, TestCandidates.class, TestCandidates.TEST_RUNS)) {
        testRuns += value;
      } else if (is(name, VerifyOutcomes.class, VerifyOutcomes.VERIFIER_CALLS)) {
        verifierCalls += value;
      }
    }
    GaugeResult latest = null;
    for (MetricResult<GaugeResult> gauge : results.getGauges()) {
      GaugeResult value = gauge.getAttempted();
      if (is(gauge.getName(), ImplementTasks.class, ImplementTasks.AGENT_CALLS_IN_FLIGHT)
          && (latest == null || value.getTimestamp().isAfter(latest.getTimestamp()))) {
        latest = value;
      }
    }
    OptionalLong inFlight = latest == null ? OptionalLong.empty() : OptionalLong.of(latest.getValue());
    return new ProgressSnapshot(attemptsDone, tested, agentCalls, testRuns, inFlight, 0, verifierCalls);
  }

  private static boolean is(MetricName name, Class<?> namespace, String metric) {
    return name.getNamespace().equals(namespace.getName()) && name.getName().equals(metric);
  }
}
