package dev.converge.transforms.model;

/**
 * What the test gate saw for one distinct patch.
 *
 * @param status passed, failed, timed out, patch failed, or not run
 * @param exitCode the test command's exit code (-1 when it did not end by itself)
 * @param outputTail the last part of the combined stdout/stderr
 * @param durationMs how long the test command ran
 * @param startedAtMs when the test command started (epoch millis; 0 when not recorded)
 */
public record TestResult(
    TestStatus status, int exitCode, String outputTail, long durationMs, long startedAtMs) {

  /** A result whose start time was not recorded. */
  public TestResult(TestStatus status, int exitCode, String outputTail, long durationMs) {
    this(status, exitCode, outputTail, durationMs, 0);
  }

  public static TestResult notRun(String why) {
    return new TestResult(TestStatus.NOT_RUN, -1, why, 0);
  }

  public boolean passed() {
    return status == TestStatus.PASSED;
  }
}
