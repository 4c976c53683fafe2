package dev.converge.transforms.vote;

import static dev.converge.transforms.testing.CandidateFixtures.agentFailed;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quorum and unanimous voting, including ties and the reasons given when nobody wins. */
class VotingStrategiesTest {
  private static Candidate passing(String agent, String patch) {
    return tested(produced("t1", agent, 0, patch + "\n"), TestStatus.PASSED);
  }

  private static List<Cluster> passingClusters(List<Candidate> candidates) {
    return Cluster.of(candidates).stream().filter(Cluster::passed).toList();
  }

  @Test
  void quorumIsReachedByTheLargestCluster() {
    List<Candidate> candidates =
        List.of(passing("a", "x"), passing("b", "x"), passing("c", "y"));
    Optional<Cluster> winner = QuorumVote.of(2).choose(passingClusters(candidates), 3);
    assertEquals(List.of("a#0", "b#0"), winner.orElseThrow().labels());
  }

  @Test
  void quorumNotReachedNamesTheLargestGroup() {
    List<Candidate> candidates =
        List.of(passing("a", "x"), passing("b", "x"), passing("c", "y"));
    List<Cluster> clusters = passingClusters(candidates);
    assertTrue(QuorumVote.of(3).choose(clusters, 3).isEmpty());
    assertEquals(
        "quorum of 3 not reached: the largest group of identical passing changes has 2 (a#0, b#0)",
        QuorumVote.of(3).whyNoWinner(clusters, 3));
  }

  @Test
  void quorumTieIsBrokenByVoteOrder() {
    List<Candidate> candidates =
        List.of(passing("d", "y"), passing("c", "y"), passing("b", "x"), passing("a", "x"));
    Optional<Cluster> winner = QuorumVote.of(2).choose(passingClusters(candidates), 4);
    assertEquals(List.of("a#0", "b#0"), winner.orElseThrow().labels());
  }

  @Test
  void quorumMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> QuorumVote.of(0));
  }

  @Test
  void unanimousNeedsEveryCandidateToAgree() {
    List<Candidate> agreeing = List.of(passing("a", "x"), passing("b", "x"));
    assertEquals(
        List.of("a#0", "b#0"),
        UnanimousVote.create().choose(passingClusters(agreeing), 2).orElseThrow().labels());
  }

  @Test
  void unanimousFailsOnADifferentChangeOrACrash() {
    List<Candidate> split = List.of(passing("a", "x"), passing("b", "y"));
    assertTrue(UnanimousVote.create().choose(passingClusters(split), 2).isEmpty());

    List<Candidate> oneCrashed =
        List.of(passing("a", "x"), passing("b", "x"), agentFailed("t1", "c", 0, "exited with code 3"));
    List<Cluster> clusters = passingClusters(oneCrashed);
    assertTrue(UnanimousVote.create().choose(clusters, 3).isEmpty());
    assertEquals(
        "not unanimous: 2 of 3 candidates made the leading passing change (a#0, b#0)",
        UnanimousVote.create().whyNoWinner(clusters, 3));
  }

  @Test
  void aTaskWithoutQuorumIsRejectedWithTheReason() {
    List<Candidate> candidates = List.of(passing("a", "x"), passing("b", "y"));
    Outcome outcome =
        VoteOnCandidates.decide(
            GitRepos.task("t1", Path.of("/repo"), "0".repeat(40)), candidates, QuorumVote.of(2));
    assertEquals(TaskState.REJECTED, outcome.state());
    assertTrue(outcome.reason().startsWith("quorum of 2 not reached"), outcome.reason());
  }

  @Test
  void firstPassingTakesTheFirstLabelWhateverTheMajority() {
    List<Candidate> candidates =
        List.of(passing("b", "x"), passing("c", "x"), passing("a", "y"), tested(produced("t1", "0", 0, "z\n"), TestStatus.FAILED));
    Optional<Cluster> winner = FirstPassingVote.create().choose(passingClusters(candidates), 4);
    assertEquals(List.of("a#0"), winner.orElseThrow().labels(), "a#0 is the first passing label; 0#0 failed");
  }

  @Test
  void bestOfPicksTheHighestAcceptedScoreOverTheLargerCluster() {
    List<Cluster> clusters =
        passingClusters(List.of(passing("a", "x"), passing("b", "x"), passing("c", "y"), passing("d", "z")));
    String x = clusters.get(0).patchHash();
    String y = clusters.get(1).patchHash();
    String z = clusters.get(2).patchHash();
    Map<String, Verification> verdicts =
        Map.of(x, verdict(x, true, 0.6), y, verdict(y, true, 0.9), z, verdict(z, false, 0.99));
    assertEquals(List.of("c#0"), BestOfVote.choose(clusters, verdicts).orElseThrow().labels(),
        "the rejected z scores higher but is not accepted");
  }

  @Test
  void bestOfTiesGoToTheLargerClusterThenToVoteOrder() {
    List<Cluster> clusters =
        passingClusters(List.of(passing("c", "x"), passing("d", "x"), passing("a", "y"), passing("b", "z")));
    Map<String, Verification> equal = new java.util.HashMap<>();
    clusters.forEach(c -> equal.put(c.patchHash(), verdict(c.patchHash(), true, 0.8)));
    assertEquals(List.of("c#0", "d#0"), BestOfVote.choose(clusters, equal).orElseThrow().labels());
    equal.remove(clusters.get(0).patchHash());
    assertEquals(List.of("a#0"), BestOfVote.choose(clusters, equal).orElseThrow().labels(),
        "between two single candidates with the same score, the first label wins");
  }

  @Test
  void bestOfHasNoWinnerWhenTheVerifierAcceptedNothing() {
    List<Cluster> clusters = passingClusters(List.of(passing("a", "x"), passing("b", "y")));
    Map<String, Verification> verdicts = new java.util.HashMap<>();
    clusters.forEach(c -> verdicts.put(c.patchHash(), verdict(c.patchHash(), false, 0.2)));
    assertTrue(BestOfVote.choose(clusters, verdicts).isEmpty());
    assertTrue(BestOfVote.choose(clusters, Map.of()).isEmpty(), "unjudged clusters never win");
  }

  private static Verification verdict(String patchHash, boolean accepted, double score) {
    return new Verification(
        Verification.VERIFY, 0, "v", "simulated", patchHash, accepted, true, score, List.of("r"), List.of(),
        0, false, 0, 0, 0);
  }
}
