package dev.converge.transforms.verify;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.agent.ModelAgent;
import dev.converge.transforms.agent.ModelCall;
import dev.converge.transforms.agent.ModelReply;
import dev.converge.transforms.agent.PromptBuilder;
import dev.converge.transforms.agent.Verifier;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.vote.MajorityVote;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.workspace.TestCandidates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify loop on a real repository and test gate: a scripted verifier, a scripted repair agent,
 * bounded rounds, invalid verdicts, the final verifier and the best-of vote.
 */
class VerifyAndRepairTest {
  /** Candidates write answer.txt; the tests reject only the word "wrong". */
  private static final String TEST = "! grep -q wrong answer.txt";

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  @TempDir Path tmp;
  private Path repo;
  private String base;

  @BeforeEach
  void createRepository() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("answer.txt", "start\n"));
  }

  /**
   * A verifier that passes "right" (score 0.9) and "alt" (0.95, or a rejection when strict), fails
   * anything else with a reason and a location, and answers "garbage" without any JSON.
   */
  private static final class ScriptedVerifier implements ModelAgent {
    private final String id;
    private final boolean strict;

    ScriptedVerifier(String id, boolean strict) {
      this.id = id;
      this.strict = strict;
    }

    @Override
    public ModelReply call(ModelCall call) {
      assertEquals(PromptBuilder.VERIFY_SYSTEM, call.prompt().system());
      String user = call.prompt().user();
      String text;
      if (user.contains("\n+garbage\n")) {
        text = "It seems fine to me, I think.";
      } else if (user.contains("\n+right\n") || (!strict && user.contains("\n+alt\n"))) {
        text = "{\"verdict\": \"pass\", \"score\": " + (user.contains("+alt") ? 0.95 : 0.9) + "}";
      } else {
        text = "{\"verdict\": \"fail\", \"reasons\": [\"answer.txt is not right\"], \"locations\": [{\"file\": \"answer.txt\", \"line\": 1}]}";
      }
      return new ModelReply(text, "scripted", 10, 5, "stop");
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String kind() {
      return "scripted";
    }
  }

  /** A repair agent that answers each task with a fixed diff. */
  private static final class ScriptedMender implements ModelAgent {
    private final Map<String, String> diffByTask;

    ScriptedMender(Map<String, String> diffByTask) {
      this.diffByTask = new HashMap<>(diffByTask);
    }

    @Override
    public ModelReply call(ModelCall call) {
      assertTrue(call.task().instructions().contains("Why it was rejected:"), call.task().instructions());
      String text = "```diff\n" + diffByTask.get(call.task().id()) + "```\n";
      return new ModelReply(text, "scripted", 10, 5, "stop");
    }

    @Override
    public String id() {
      return "mender";
    }

    @Override
    public String kind() {
      return "scripted";
    }
  }

  private String answer(String text) {
    return GitRepos.diff(repo, base, Map.of("answer.txt", text + "\n"));
  }

  /** Tests and votes on the given answers per task (one candidate per answer). */
  private PCollection<Outcome> voted(Map<String, List<String>> answersByTask) {
    List<KV<Task, Candidate>> candidates = new ArrayList<>();
    answersByTask.forEach(
        (taskId, answers) -> {
          Task task = GitRepos.task(taskId, repo, base, TEST, 30);
          for (int i = 0; i < answers.size(); i++) {
            candidates.add(KV.of(task, produced(taskId, "agent" + i, 0, answer(answers.get(i)))));
          }
        });
    return pipeline
        .apply(Create.of(candidates).withCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class))))
        .apply("Test", TestCandidates.inWorkDir(tmp.resolve("work").toString()))
        .apply("Vote", VoteOnCandidates.using(MajorityVote.create()));
  }

  private Verifier verifier(boolean strict) {
    return Verifier.of(new ScriptedVerifier(strict ? "final-judge" : "judge", strict))
        .withWorkDir(tmp.resolve("work").toString());
  }

  private RepairOutcomes repair(Map<String, String> answersByTask, int round) {
    Map<String, String> diffs = new HashMap<>();
    answersByTask.forEach((task, text) -> diffs.put(task, answer(text)));
    String work = tmp.resolve("work").toString();
    return RepairOutcomes.with(
        ImplementTasks.with(List.of(new ScriptedMender(diffs))).withWorkDir(work),
        TestCandidates.inWorkDir(work),
        round);
  }

  private static Map<String, Outcome> byTask(Iterable<Outcome> outcomes) {
    Map<String, Outcome> all = new HashMap<>();
    outcomes.forEach(o -> assertEquals(null, all.put(o.task().id(), o), "one outcome per task"));
    return all;
  }

  @Test
  void repairsWhatTheVerifierOrTheTestsRejectForAtMostTheGivenRounds() {
    PCollection<Outcome> outcomes =
        voted(
                Map.of(
                    "accepted", List.of("right"),
                    "plausible", List.of("plausible", "plausible"),
                    "failing", List.of("wrong"),
                    "stubborn", List.of("plausible"),
                    "garbage", List.of("garbage")))
            .apply("Verify", VerifyOutcomes.with(verifier(false)));
    Map<String, String> mended =
        Map.of("plausible", "right", "failing", "right", "stubborn", "plausible again");
    for (int round = 1; round <= 2; round++) {
      outcomes =
          outcomes
              .apply("Repair" + round, repair(mended, round))
              .apply("Verify" + round, VerifyOutcomes.with(verifier(false)).atRound(round));
    }
    PAssert.that(outcomes)
        .satisfies(
            all -> {
              Map<String, Outcome> by = byTask(all);
              assertEquals(5, by.size());

              Outcome accepted = by.get("accepted");
              assertEquals(TaskState.MERGED, accepted.state());
              assertEquals(1, accepted.verifications().size(), "accepted once, never judged again");
              assertTrue(accepted.repairs().isEmpty());

              Outcome plausible = by.get("plausible");
              assertEquals(TaskState.MERGED, plausible.state(), plausible.reason());
              assertEquals(1, plausible.repairs().size());
              assertTrue(plausible.repairs().get(0).feedback().contains("answer.txt is not right"));
              assertTrue(plausible.patch().contains("+right"));
              assertEquals(List.of(false, true), plausible.verifications().stream().map(Verification::accepted).toList());

              Outcome failing = by.get("failing");
              assertEquals(TaskState.MERGED, failing.state(), failing.reason());
              assertTrue(failing.repairs().get(0).feedback().contains("failed the tests"), failing.repairs().get(0).feedback());

              Outcome stubborn = by.get("stubborn");
              assertEquals(TaskState.REJECTED, stubborn.state());
              assertEquals(2, stubborn.repairs().size(), "two rounds, no more");
              assertEquals(3, stubborn.verifications().size(), "the winner and each repair");
              assertTrue(stubborn.patch().isEmpty());
              assertTrue(stubborn.reason().startsWith("verifier judge rejected: answer.txt is not right"), stubborn.reason());

              Outcome garbage = by.get("garbage");
              assertEquals(TaskState.REJECTED, garbage.state());
              Verification invalid = garbage.verifications().get(0);
              assertFalse(invalid.valid());
              assertTrue(garbage.reason().startsWith("verifier judge failed: invalid verdict:"), garbage.reason());
              assertTrue(garbage.repairs().isEmpty(), "a verifier that cannot answer is not a reason to repair");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void bestOfPicksTheHighestAcceptedScoreAndTheFinalVerifierHasTheLastWord() {
    PCollection<Outcome> outcomes =
        voted(Map.of("best", List.of("plausible", "alt"), "right", List.of("plausible", "plausible", "right")))
            .apply("Verify", VerifyOutcomes.with(verifier(false)).withBestOf(true))
            .apply("FinalVerify", VerifyOutcomes.with(verifier(true)).asFinal());
    PAssert.that(outcomes)
        .satisfies(
            all -> {
              Map<String, Outcome> by = byTask(all);
              Outcome best = by.get("best");
              assertEquals(3, best.verifications().size(), "both passing clusters scored, then the final check");
              assertEquals(TaskState.REJECTED, best.state(), best.reason());
              assertTrue(best.reason().startsWith("verifier final-judge rejected"), best.reason());
              Verification finalCheck = best.verifications().get(2);
              assertEquals(Verification.FINAL, finalCheck.stage());

              Outcome right = by.get("right");
              assertEquals(TaskState.MERGED, right.state(), right.reason());
              assertTrue(right.reason().startsWith("best-of: score 0.90 of 2 passing changes"), right.reason());
              assertTrue(right.patch().contains("+right"), "the accepted change beats the larger rejected cluster");
              assertTrue(right.reason().endsWith("verifier final-judge accepted: no reason given"), right.reason());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
