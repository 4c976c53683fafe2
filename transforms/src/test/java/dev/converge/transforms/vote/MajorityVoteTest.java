package dev.converge.transforms.vote;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.TestStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MajorityVoteTest {
  private static Candidate passing(String agent, int sample, String patch) {
    return tested(produced("t1", agent, sample, patch + "\n"), TestStatus.PASSED);
  }

  @Test
  void choosesTheFirstClusterInVoteOrder() {
    List<Candidate> candidates =
        new ArrayList<>(
            List.of(
                passing("c", 0, "one"),
                passing("b", 0, "two"),
                passing("d", 0, "two"),
                passing("a", 0, "three")));
    Collections.shuffle(candidates, new java.util.Random(1));
    List<Cluster> clusters = Cluster.of(candidates);
    assertEquals(List.of("b#0", "d#0"), clusters.get(0).labels());
    // Equal sizes: the cluster whose first label sorts first.
    assertEquals(List.of("a#0"), clusters.get(1).labels());
    assertEquals(List.of("c#0"), clusters.get(2).labels());

    Optional<Cluster> chosen = MajorityVote.create().choose(clusters, 4);
    assertTrue(chosen.isPresent());
    assertEquals(clusters.get(0), chosen.get());
  }

  @Test
  void clustersSkipCandidatesWithoutPatch() {
    Candidate none =
        dev.converge.transforms.testing.CandidateFixtures.noChange("t1", "lazy", 0);
    List<Cluster> clusters = Cluster.of(List.of(none, passing("a", 0, "x")));
    assertEquals(1, clusters.size());
    assertEquals(List.of("a#0"), clusters.get(0).labels());
  }

  @Test
  void isNamedMajorityAndEqualToItself() {
    assertEquals("majority", MajorityVote.create().name());
    assertEquals(MajorityVote.create(), MajorityVote.create());
    assertEquals(MajorityVote.create().hashCode(), MajorityVote.create().hashCode());
  }
}
