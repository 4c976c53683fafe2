package dev.converge.transforms.vote;

import dev.converge.transforms.model.Verification;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The passing change with the highest verifier score wins, among those the verifier accepted; ties
 * go to the larger cluster, then by {@link Cluster#VOTE_ORDER}. The scores come from the verify
 * stage, which asks the verifier about every passing cluster ({@link #choose(List, Map)}); the vote
 * before it only picks a provisional winner, like {@link MajorityVote}.
 */
public final class BestOfVote implements VotingStrategy {

  public static BestOfVote create() {
    return new BestOfVote();
  }

  @Override
  public String name() {
    return "best-of";
  }

  @Override
  public Optional<Cluster> choose(List<Cluster> passing, int candidateCount) {
    return passing.stream().findFirst();
  }

  /**
   * The accepted cluster with the highest score.
   *
   * @param passing clusters whose patch passed the tests, in {@link Cluster#VOTE_ORDER}
   * @param verdicts the verifier's judgement by patch hash; clusters without one are not chosen
   */
  public static Optional<Cluster> choose(List<Cluster> passing, Map<String, Verification> verdicts) {
    return passing.stream()
        .filter(c -> verdicts.containsKey(c.patchHash()) && verdicts.get(c.patchHash()).accepted())
        .min(
            Comparator.comparingDouble((Cluster c) -> -verdicts.get(c.patchHash()).score())
                .thenComparing(Cluster.VOTE_ORDER));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BestOfVote;
  }

  @Override
  public int hashCode() {
    return BestOfVote.class.hashCode();
  }
}
