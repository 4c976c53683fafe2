package dev.converge.transforms.vote;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** Chooses the winning change of one task among the clusters whose tests passed. */
public interface VotingStrategy extends Serializable {

  /** The strategy's name as written in specs and reports. */
  String name();

  /**
   * Picks the winner.
   *
   * @param passing clusters whose patch passed the tests, in {@link Cluster#VOTE_ORDER}; never empty
   * @param candidateCount all candidates of the task, including failed ones
   * @return the winner, or empty when the strategy refuses to decide (then {@link #whyNoWinner})
   */
  Optional<Cluster> choose(List<Cluster> passing, int candidateCount);

  /**
   * Why {@link #choose} found no winner, for the task's reason; strategies that always pick a
   * passing cluster never refuse, so only an empty list can leave them without one.
   */
  default String whyNoWinner(List<Cluster> passing, int candidateCount) {
    return "no candidate passed the tests";
  }
}
