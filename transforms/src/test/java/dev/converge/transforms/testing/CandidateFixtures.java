package dev.converge.transforms.testing;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.workspace.Worktrees;

/** Hand-made candidates for tests of the stages after the agents. */
public final class CandidateFixtures {
  private CandidateFixtures() {}

  /** A candidate that produced {@code patch} and has not been tested yet. */
  public static Candidate produced(String taskId, String agentId, int sample, String patch) {
    return new Candidate(
        taskId,
        agentId,
        "command",
        sample,
        CandidateStatus.PRODUCED,
        patch,
        Worktrees.patchHash(patch),
        "",
        "",
        0,
        false,
        null);
  }

  /** A candidate whose agent ended normally without changing anything. */
  public static Candidate noChange(String taskId, String agentId, int sample) {
    return new Candidate(
        taskId, agentId, "command", sample, CandidateStatus.NO_CHANGE, "", "", "made no change",
        "", 0, false, null);
  }

  /** A candidate whose agent call failed for {@code reason}. */
  public static Candidate agentFailed(String taskId, String agentId, int sample, String reason) {
    return new Candidate(
        taskId, agentId, "command", sample, CandidateStatus.AGENT_FAILED, "", "", reason, "", 0,
        false, null);
  }

  /** {@code candidate} with a test result of {@code status} (exit 0 when passed, 1 otherwise). */
  public static Candidate tested(Candidate candidate, TestStatus status) {
    int exit = status == TestStatus.PASSED ? 0 : status == TestStatus.FAILED ? 1 : -1;
    return candidate.withTest(new TestResult(status, exit, "", 1));
  }
}
