package dev.converge.transforms.vote;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * No vote: the first passing candidate by label ({@code agent#sample}) wins, whatever the others
 * made. The cheapest rule, and the baseline "tests only" that the quality benchmark compares voting
 * with.
 */
public final class FirstPassingVote implements VotingStrategy {

  public static FirstPassingVote create() {
    return new FirstPassingVote();
  }

  @Override
  public String name() {
    return "first";
  }

  @Override
  public Optional<Cluster> choose(List<Cluster> passing, int candidateCount) {
    return passing.stream().min(Comparator.comparing(Cluster::firstLabel));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FirstPassingVote;
  }

  @Override
  public int hashCode() {
    return FirstPassingVote.class.hashCode();
  }
}
