package dev.converge.transforms.vote;

import java.util.List;
import java.util.Optional;

/**
 * The largest cluster of passing candidates wins, but only when at least {@code quorum} candidates
 * made that same change. Use it when one lucky sample must not be enough.
 */
public final class QuorumVote implements VotingStrategy {
  private final int quorum;

  private QuorumVote(int quorum) {
    this.quorum = quorum;
  }

  public static QuorumVote of(int quorum) {
    if (quorum < 1) {
      throw new IllegalArgumentException("quorum must be at least 1, got " + quorum);
    }
    return new QuorumVote(quorum);
  }

  @Override
  public String name() {
    return "quorum " + quorum;
  }

  @Override
  public Optional<Cluster> choose(List<Cluster> passing, int candidateCount) {
    return passing.stream().findFirst().filter(c -> c.members().size() >= quorum);
  }

  @Override
  public String whyNoWinner(List<Cluster> passing, int candidateCount) {
    Cluster largest = passing.get(0);
    return String.format(
        "quorum of %d not reached: the largest group of identical passing changes has %d (%s)",
        quorum, largest.members().size(), String.join(", ", largest.labels()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof QuorumVote that && that.quorum == quorum;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(quorum);
  }
}
