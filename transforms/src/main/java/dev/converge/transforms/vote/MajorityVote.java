package dev.converge.transforms.vote;

import java.util.List;
import java.util.Optional;

/**
 * The largest cluster of passing candidates wins (a plurality: with three passing candidates that
 * all differ, the first in {@link Cluster#VOTE_ORDER} wins). Ties are broken by that order, so the
 * same candidates always give the same winner.
 */
public final class MajorityVote implements VotingStrategy {

  public static MajorityVote create() {
    return new MajorityVote();
  }

  @Override
  public String name() {
    return "majority";
  }

  @Override
  public Optional<Cluster> choose(List<Cluster> passing, int candidateCount) {
    return passing.stream().findFirst();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MajorityVote;
  }

  @Override
  public int hashCode() {
    return MajorityVote.class.hashCode();
  }
}
