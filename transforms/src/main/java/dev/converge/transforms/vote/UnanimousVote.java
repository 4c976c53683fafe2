package dev.converge.transforms.vote;

import java.util.List;
import java.util.Optional;

/**
 * A change wins only when every candidate of the task made it and it passed the tests. A crashed
 * agent or a different change breaks unanimity: the strictest strategy, for changes where any
 * disagreement means a human should look.
 */
public final class UnanimousVote implements VotingStrategy {

  public static UnanimousVote create() {
    return new UnanimousVote();
  }

  @Override
  public String name() {
    return "unanimous";
  }

  @Override
  public Optional<Cluster> choose(List<Cluster> passing, int candidateCount) {
    return passing.size() == 1 && passing.get(0).members().size() == candidateCount
        ? Optional.of(passing.get(0))
        : Optional.empty();
  }

  @Override
  public String whyNoWinner(List<Cluster> passing, int candidateCount) {
    Cluster largest = passing.get(0);
    return String.format(
        "not unanimous: %d of %d candidates made the leading passing change (%s)",
        largest.members().size(), candidateCount, String.join(", ", largest.labels()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnanimousVote;
  }

  @Override
  public int hashCode() {
    return UnanimousVote.class.hashCode();
  }
}
