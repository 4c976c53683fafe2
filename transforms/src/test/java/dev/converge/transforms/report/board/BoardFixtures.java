package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.report.Summary;
import java.util.List;

/** Hand-made outcomes for board tests. */
final class BoardFixtures {
  static final long T0 = 1_700_000_000_000L;

  private BoardFixtures() {}

  static Task task(String id, String target) {
    return new Task(id, target, "/repo/" + target, "0".repeat(40), "Do " + id, List.of(), "", "true", 60);
  }

  /** A candidate that ran for 1 s from {@code startOffsetMs} and whose test ran 0.5 s after it. */
  static Candidate candidate(
      String taskId, String agentId, String kind, String hash, TestStatus test, long startOffsetMs) {
    return new Candidate(
        taskId,
        agentId,
        kind,
        0,
        CandidateStatus.PRODUCED,
        "diff --git a/x b/x\n",
        hash,
        "",
        "agent log of " + agentId,
        1000,
        false,
        new TestResult(test, test == TestStatus.PASSED ? 0 : 1, "test output", 500, T0 + startOffsetMs + 1000),
        T0 + startOffsetMs);
  }

  static Outcome outcome(Task task, TaskState state, List<Candidate> candidates) {
    List<VoteCluster> votes =
        candidates.stream()
            .map(c -> new VoteCluster(c.patchHash(), List.of(c.label()), c.test().passed(), state == TaskState.MERGED))
            .toList();
    return new Outcome(task, state, "because " + state.label(), candidates, votes, "");
  }

  /** Three tasks on one target: two merged, one rejected. */
  static List<Outcome> threeTasks() {
    return List.of(
        outcome(task("alpha", "repo"), TaskState.MERGED,
            List.of(candidate("alpha", "careful", "command", "aaaa1111", TestStatus.PASSED, 0))),
        outcome(task("beta", "repo"), TaskState.MERGED,
            List.of(candidate("beta", "careful", "command", "bbbb2222", TestStatus.PASSED, 200))),
        outcome(task("gamma", "repo"), TaskState.REJECTED,
            List.of(candidate("gamma", "hasty", "command", "cccc3333", TestStatus.FAILED, 400))));
  }

  static Board ended(List<Outcome> outcomes) {
    return Board.ended(Summary.of("spec-name", "direct", outcomes, 3.5), outcomes);
  }
}
