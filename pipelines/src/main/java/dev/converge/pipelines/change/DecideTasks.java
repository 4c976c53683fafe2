package dev.converge.pipelines.change;

import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.sampling.SampleAdaptively;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.vote.VotingStrategy;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Implement -> Check -> Vote [-> the verify loop] for a set of tasks and one set of agents: the
 * whole decision of a job without a cascade, and of one tier with one.
 */
final class DecideTasks extends PTransform<PCollection<Task>, PCollection<Outcome>> {
  // The operators only build the graph when the job is compiled; a transform is never shipped to
  // workers, so they need not be serializable.
  private final ImplementTasks implement;
  private final UnaryOperator<SampleAdaptively> adaptive;
  private final CheckCandidates check;
  private final VotingStrategy votingStrategy;
  private final UnaryOperator<PCollection<Outcome>> verifyLoop;

  /**
   * @param implement the configured agents and samples
   * @param adaptive how to sample adaptively, or null for fixed samples
   * @param check what every candidate goes through
   * @param votingStrategy how the candidates are compared
   * @param verifyLoop the verify stages applied to the vote's outcomes (identity without them)
   */
  DecideTasks(
      ImplementTasks implement,
      UnaryOperator<SampleAdaptively> adaptive,
      CheckCandidates check,
      VotingStrategy votingStrategy,
      UnaryOperator<PCollection<Outcome>> verifyLoop) {
    this.implement = implement;
    this.adaptive = adaptive;
    this.check = check;
    this.votingStrategy = votingStrategy;
    this.verifyLoop = verifyLoop;
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Task> tasks) {
    PCollection<Outcome> voted =
        (adaptive == null
                ? tasks.apply("Implement", implement).apply("Check", check)
                : tasks.apply("SampleAdaptively", adaptive.apply(SampleAdaptively.with(implement, check))))
            .apply("Vote", VoteOnCandidates.using(votingStrategy));
    return verifyLoop.apply(voted);
  }
}
