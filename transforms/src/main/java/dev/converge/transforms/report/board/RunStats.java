package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The numbers behind the board's charts and card facts, derived from outcomes only. */
final class RunStats {
  private RunStats() {}

  /** One call or test run on the wall clock, in epoch millis. */
  record Interval(long startMs, long endMs) {
    static Optional<Interval> of(long startedAtMs, long durationMs) {
      return startedAtMs > 0 ? Optional.of(new Interval(startedAtMs, startedAtMs + durationMs)) : Optional.empty();
    }
  }

  /** The kind of every agent id ({@code command}, {@code simulated}, ...). */
  static Map<String, String> kindPerAgent(List<Outcome> outcomes) {
    Map<String, String> kinds = new LinkedHashMap<>();
    outcomes.stream()
        .flatMap(Outcome::allCandidates)
        .forEach(c -> kinds.putIfAbsent(c.agentId(), c.agentKind()));
    outcomes.stream()
        .flatMap(o -> o.verifications().stream())
        .forEach(v -> kinds.putIfAbsent(v.verifierId(), v.verifierKind()));
    return kinds;
  }

  static long agentBusyMs(List<Outcome> outcomes) {
    return agentCalls(outcomes).mapToLong(Candidate::durationMs).sum();
  }

  static long testBusyMs(List<Outcome> outcomes) {
    return testRuns(outcomes).mapToLong(TestResult::durationMs).sum();
  }

  static List<Interval> agentIntervals(List<Outcome> outcomes) {
    return agentCalls(outcomes).flatMap(c -> Interval.of(c.startedAtMs(), c.durationMs()).stream()).toList();
  }

  static List<Interval> testIntervals(List<Outcome> outcomes) {
    return testRuns(outcomes).flatMap(t -> Interval.of(t.startedAtMs(), t.durationMs()).stream()).toList();
  }

  /** From the first start to the last end of {@code intervals}; empty when none was recorded. */
  static Optional<Long> spanMs(List<Interval> intervals) {
    if (intervals.isEmpty()) {
      return Optional.empty();
    }
    long start = intervals.stream().mapToLong(Interval::startMs).min().orElseThrow();
    long end = intervals.stream().mapToLong(Interval::endMs).max().orElseThrow();
    return Optional.of(end - start);
  }

  private static Stream<Candidate> agentCalls(List<Outcome> outcomes) {
    return outcomes.stream().flatMap(Outcome::allCandidates).filter(Candidate::calledAgent);
  }

  /**
   * The test command runs of the outcomes. Candidates of one task with the same patch share one
   * run (the test gate tests identical changes once), so each is counted once.
   */
  static Stream<TestResult> testRuns(List<Outcome> outcomes) {
    return outcomes.stream().flatMap(RunStats::testRuns);
  }

  static Stream<TestResult> testRuns(Outcome outcome) {
    Map<String, TestResult> byPatch = new LinkedHashMap<>();
    for (Candidate c : (Iterable<Candidate>) outcome.allCandidates()::iterator) {
      if (c.status() == CandidateStatus.PRODUCED
          && c.test() != null
          && c.test().status() != TestStatus.NOT_RUN
          && c.test().status() != TestStatus.PATCH_FAILED) {
        byPatch.putIfAbsent(c.patchHash(), c.test());
      }
    }
    return byPatch.values().stream();
  }
}
