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
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.util.List;
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
}
