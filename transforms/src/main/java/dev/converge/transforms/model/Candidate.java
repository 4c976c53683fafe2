package dev.converge.transforms.model;

/**
 * One agent output for a task: the diff the agent left in its worktree, and everything known about
 * how it was made and tested.
 *
 * @param taskId the task
 * @param agentId the agent that made it
 * @param agentKind how the agent works ({@code command}, {@code simulated}, ...), shown next to its id
 * @param sample the sample index (0-based) of that agent for this task
 * @param status whether the agent produced a change
 * @param patch the unified diff against the task's base commit (empty when none)
 * @param patchHash hash of the normalized patch; identical changes have the same hash
 * @param reason why the agent failed or changed nothing (empty otherwise)
 * @param logTail the last part of the agent's output
 * @param durationMs how long the agent ran
 * @param cached whether the result came from the cache instead of a call
 * @param test the test gate's result (not run until the Test stage)
 */
public record Candidate(
    String taskId,
    String agentId,
    String agentKind,
    int sample,
    CandidateStatus status,
    String patch,
    String patchHash,
    String reason,
    String logTail,
    long durationMs,
    boolean cached,
    TestResult test) {

  /** A stable label such as {@code careful-a#0}, used in votes and reports. */
  public String label() {
    return agentId + "#" + sample;
  }

  public Candidate withTest(TestResult result) {
    return new Candidate(
        taskId,
        agentId,
        agentKind,
        sample,
        status,
        patch,
        patchHash,
        reason,
        logTail,
        durationMs,
        cached,
        result);
  }
}
