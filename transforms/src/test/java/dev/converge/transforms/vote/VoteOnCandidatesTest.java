package dev.converge.transforms.vote;

import static dev.converge.transforms.testing.CandidateFixtures.agentFailed;
import static dev.converge.transforms.testing.CandidateFixtures.noChange;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.VoteCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class VoteOnCandidatesTest {
  private static final Task T1 = task("t1");
  private static final String PATCH_A = fakePatch("a");
  private static final String PATCH_B = fakePatch("b");
  private static final String PATCH_C = fakePatch("c");

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static Task task(String id) {
    return new Task(id, "repo", "/nonexistent/repo", "0".repeat(40), "do " + id, List.of(), "", "true", 30);
  }

  private static String fakePatch(String content) {
    return "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-old\n+" + content + "\n";
  }

  private static Candidate passing(String agent, int sample, String patch) {
    return tested(produced("t1", agent, sample, patch), TestStatus.PASSED);
  }

  private static Candidate failing(String agent, int sample, String patch) {
    return tested(produced("t1", agent, sample, patch), TestStatus.FAILED);
  }

  private static Outcome decide(List<Candidate> candidates) {
    return VoteOnCandidates.decide(T1, candidates, MajorityVote.create());
  }

  private static VoteCluster winner(Outcome outcome) {
    List<VoteCluster> winners = outcome.votes().stream().filter(VoteCluster::winner).toList();
    assertEquals(1, winners.size(), "exactly one winning cluster: " + outcome.votes());
    return winners.get(0);
  }

  @Test
  void majorityPicksTheLargerPassingCluster() {
    Outcome outcome =
        decide(
            List.of(
                passing("x", 0, PATCH_B),
                passing("a", 0, PATCH_A),
                passing("b", 0, PATCH_B),
                passing("c", 0, PATCH_B)));
    assertEquals(TaskState.MERGED, outcome.state());
    assertEquals(PATCH_B, outcome.patch());
    assertEquals(List.of("b#0", "c#0", "x#0"), winner(outcome).members());
    assertTrue(outcome.reason().contains("3 of 4"), outcome.reason());
    // Votes list every cluster, largest first.
    assertEquals(2, outcome.votes().size());
    assertEquals(3, outcome.votes().get(0).members().size());
  }

  @Test
  void tieIsBrokenByTheFirstMemberLabelWhateverTheInputOrder() {
    List<Candidate> candidates =
        List.of(
            passing("zed", 0, PATCH_A),
            passing("bob", 0, PATCH_A),
            passing("amy", 1, PATCH_B),
            passing("yan", 0, PATCH_B),
            failing("aaa", 0, PATCH_C));
    Outcome reference = decide(candidates);
    assertEquals(TaskState.MERGED, reference.state());
    // {amy#1, yan#0} and {bob#0, zed#0} both have two members; "amy#1" sorts first.
    assertEquals(PATCH_B, reference.patch());
    assertEquals(List.of("amy#1", "yan#0"), winner(reference).members());

    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      List<Candidate> shuffled = new ArrayList<>(candidates);
      Collections.shuffle(shuffled, random);
      Outcome outcome = decide(shuffled);
      assertEquals(reference.state(), outcome.state(), "order " + shuffled);
      assertEquals(reference.reason(), outcome.reason(), "order " + shuffled);
      assertEquals(reference.patch(), outcome.patch(), "order " + shuffled);
      assertEquals(reference.votes(), outcome.votes(), "order " + shuffled);
    }
  }

  @Test
  void noPassingCandidateRejectsAndNamesEveryCandidate() {
    Outcome outcome =
        decide(
            List.of(
                failing("a", 0, PATCH_A),
                tested(produced("t1", "b", 0, PATCH_B), TestStatus.PATCH_FAILED),
                tested(produced("t1", "c", 0, PATCH_C), TestStatus.TIMED_OUT),
                noChange("t1", "d", 0),
                agentFailed("t1", "e", 2, "exited with code 3")));
    assertEquals(TaskState.REJECTED, outcome.state());
    assertEquals("", outcome.patch());
    assertTrue(outcome.votes().stream().noneMatch(VoteCluster::winner), outcome.votes().toString());
    for (String label : List.of("a#0", "b#0", "c#0", "d#0", "e#2")) {
      assertTrue(outcome.reason().contains(label), label + " missing in: " + outcome.reason());
    }
    assertTrue(outcome.reason().contains("exited with code 3"), outcome.reason());
    assertTrue(outcome.reason().contains("made no change"), outcome.reason());
  }

  @Test
  void everyAgentCallFailedMeansFailed() {
    Outcome outcome =
        decide(
            List.of(
                agentFailed("t1", "a", 0, "exited with code 3"),
                agentFailed("t1", "b", 0, "timed out after 1000 ms")));
    assertEquals(TaskState.FAILED, outcome.state());
    assertEquals("", outcome.patch());
    assertEquals(List.of(), outcome.votes());
    assertTrue(outcome.reason().contains("a#0"), outcome.reason());
    assertTrue(outcome.reason().contains("b#0"), outcome.reason());
  }

  @Test
  void passingClusterBeatsALargerFailingCluster() {
    Outcome outcome =
        decide(
            List.of(
                failing("a", 0, PATCH_A),
                failing("b", 0, PATCH_A),
                failing("c", 0, PATCH_A),
                passing("z", 0, PATCH_B)));
    assertEquals(TaskState.MERGED, outcome.state());
    assertEquals(PATCH_B, outcome.patch());
    assertEquals(List.of("z#0"), winner(outcome).members());
    // The failing cluster is still reported, first since it is larger.
    assertEquals(List.of("a#0", "b#0", "c#0"), outcome.votes().get(0).members());
    assertEquals(false, outcome.votes().get(0).passed());
  }

  @Test
  void transformDecidesEachTaskFromAllItsCandidates() {
    Task t2 = task("t2");
    List<KV<Task, Candidate>> input =
        List.of(
            KV.of(T1, passing("a", 0, PATCH_A)),
            KV.of(T1, passing("b", 0, PATCH_A)),
            KV.of(T1, failing("c", 0, PATCH_B)),
            KV.of(t2, tested(produced("t2", "a", 0, PATCH_A), TestStatus.FAILED)),
            KV.of(t2, agentFailed("t2", "b", 0, "exited with code 3")));
    PCollection<Outcome> outcomes =
        pipeline
            .apply(
                Create.of(input)
                    .withCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class))))
            .apply(VoteOnCandidates.using(MajorityVote.create()));
    PAssert.that(outcomes)
        .satisfies(
            all -> {
              Map<String, Outcome> byTask = new HashMap<>();
              all.forEach(o -> assertEquals(null, byTask.put(o.task().id(), o), "two outcomes"));
              assertEquals(2, byTask.size());
              Outcome first = byTask.get("t1");
              assertEquals(TaskState.MERGED, first.state(), first.reason());
              assertEquals(PATCH_A, first.patch());
              assertEquals(3, first.candidates().size());
              // Candidates are kept with their test results, sorted by label.
              assertEquals(
                  List.of("a#0", "b#0", "c#0"),
                  first.candidates().stream().map(Candidate::label).toList());
              Outcome second = byTask.get("t2");
              assertEquals(TaskState.REJECTED, second.state(), second.reason());
              assertTrue(second.reason().contains("a#0") && second.reason().contains("b#0"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
