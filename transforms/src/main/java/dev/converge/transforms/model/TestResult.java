package dev.converge.transforms.model;

/**
 * What the test gate saw for one distinct patch.
 *
 * @param status passed, failed, timed out, patch failed, or not run
 * @param exitCode the test command's exit code (-1 when it did not end by itself)
 * @param outputTail the last part of the combined stdout/stderr
 * @param durationMs how long the test command ran
 */
public record TestResult(TestStatus status, int exitCode, String outputTail, long durationMs) {

  public static TestResult notRun(String why) {
    return new TestResult(TestStatus.NOT_RUN, -1, why, 0);
  }

  public boolean passed() {
    return status == TestStatus.PASSED;
  }
}
