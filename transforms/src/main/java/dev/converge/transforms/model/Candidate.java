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
 * @param startedAtMs when the agent call started (epoch millis; 0 when not recorded)
 * @param model the model that answered ({@code ""} for command agents)
 * @param inputTokens prompt tokens the provider counted (0 when not known)
 * @param outputTokens answer tokens the provider counted (0 when not known)
 * @param costUsd what the call cost in USD by the spec's price table (0 when not known)
 * @param attempts provider requests made for this candidate, retries included (0 when it was
 *     refused before any call, for example by the budget); a cached candidate keeps the number of
 *     the call it was recorded from
 * @param violations the spec rules the candidate breaks ({@code constraints}, {@code drift}); a
 *     candidate with any is rejected before the test gate
 * @param drift how far the candidate strays from its task's plan (null until checked, and for
 *     candidates without a change)
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
    TestResult test,
    long startedAtMs,
    String model,
    long inputTokens,
    long outputTokens,
    double costUsd,
    int attempts,
    java.util.List<Violation> violations,
    Drift drift) {

  public Candidate {
    model = model == null ? "" : model;
    violations = violations == null ? java.util.List.of() : java.util.List.copyOf(violations);
  }

  /** A candidate that has not been checked against the spec's constraints. */
  public Candidate(
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
      TestResult test,
      long startedAtMs,
      String model,
      long inputTokens,
      long outputTokens,
      double costUsd,
      int attempts) {
    this(
        taskId, agentId, agentKind, sample, status, patch, patchHash, reason, logTail, durationMs,
        cached, test, startedAtMs, model, inputTokens, outputTokens, costUsd, attempts, null, null);
  }

  /** This candidate with the result of the constraint and drift checks. */
  public Candidate withChecks(java.util.List<Violation> newViolations, Drift newDrift) {
    return new Candidate(
        taskId, agentId, agentKind, sample, status, patch, patchHash, reason, logTail, durationMs,
        cached, test, startedAtMs, model, inputTokens, outputTokens, costUsd, attempts,
        newViolations, newDrift);
  }

  /** Whether the candidate breaks a rule of the spec (and so is rejected without a test). */
  public boolean violatesSpec() {
    return !violations.isEmpty();
  }

  /** A candidate without usage figures (command agents, fixtures). */
  public Candidate(
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
      TestResult test,
      long startedAtMs) {
    this(
        taskId, agentId, agentKind, sample, status, patch, patchHash, reason, logTail, durationMs,
        cached, test, startedAtMs, "", 0, 0, 0, 1);
  }

  /** A candidate whose start time was not recorded. */
  public Candidate(
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
    this(
        taskId, agentId, agentKind, sample, status, patch, patchHash, reason, logTail, durationMs,
        cached, test, 0);
  }

  /** What became of this candidate, in words: its failure, its rule breaks or its test result. */
  public String whatHappened() {
    if (status != CandidateStatus.PRODUCED) {
      return reason;
    }
    if (violatesSpec()) {
      return "violates the spec: " + violations.get(0).describe()
          + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "");
    }
    if (test == null) {
      return "was not tested";
    }
    return switch (test.status()) {
      case FAILED -> "failed the tests (exit " + test.exitCode() + ")";
      case TIMED_OUT -> "timed out in the tests";
      case PATCH_FAILED -> "made a patch that does not apply";
      case NOT_RUN -> "was not tested";
      case PASSED -> "passed the tests";
    };
  }

  /** Whether the candidate made a change within the spec's rules that passed the tests. */
  public boolean passedTests() {
    return status == CandidateStatus.PRODUCED && !violatesSpec() && test != null && test.passed();
  }

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
        result,
        startedAtMs,
        model,
        inputTokens,
        outputTokens,
        costUsd,
        attempts,
        violations,
        drift);
  }

  /** The same candidate answered from the cache: everything as recorded, marked {@code cached}. */
  public Candidate asCached() {
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
        true,
        test,
        startedAtMs,
        model,
        inputTokens,
        outputTokens,
        costUsd,
        attempts,
        violations,
        drift);
  }

  /** Input plus output tokens. */
  public long tokens() {
    return inputTokens + outputTokens;
  }

  /** Whether this candidate cost a live agent call in this run (not cached, not refused). */
  public boolean calledAgent() {
    return !cached && attempts > 0;
  }
}
