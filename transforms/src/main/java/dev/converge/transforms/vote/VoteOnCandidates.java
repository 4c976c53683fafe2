package dev.converge.transforms.vote;

import dev.converge.transforms.agent.Budget;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.VoteCluster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The Reduce step for one task: groups its tested candidates and decides its state. A task with a
 * winning cluster is {@code merged} (until conflicts say otherwise); a task whose candidates all
 * failed the tests or changed nothing is {@code rejected}; a task whose every agent call failed is
 * {@code failed}.
 */
public final class VoteOnCandidates
    extends PTransform<PCollection<KV<Task, Candidate>>, PCollection<Outcome>> {

  private final VotingStrategy strategy;

  private VoteOnCandidates(VotingStrategy strategy) {
    this.strategy = strategy;
  }

  public static VoteOnCandidates using(VotingStrategy strategy) {
    return new VoteOnCandidates(Objects.requireNonNull(strategy, "strategy"));
  }

  @Override
  public PCollection<Outcome> expand(PCollection<KV<Task, Candidate>> candidates) {
    KvCoder<Task, Candidate> candidateCoder =
        KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class));
    return candidates
        .apply("KeyByTask", WithKeys.of((KV<Task, Candidate> kv) -> kv.getKey().id())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), candidateCoder))
        .apply("GroupByTask", GroupByKey.create())
        .apply("Decide", ParDo.of(new DecideFn(strategy)))
        .setCoder(JsonCoder.of(Outcome.class));
  }

  /** Decides one task from all of its candidates. */
  static final class DecideFn extends DoFn<KV<String, Iterable<KV<Task, Candidate>>>, Outcome> {
    private final VotingStrategy strategy;

    DecideFn(VotingStrategy strategy) {
      this.strategy = strategy;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Task, Candidate>>> group, OutputReceiver<Outcome> out) {
      Task task = null;
      List<Candidate> candidates = new ArrayList<>();
      for (KV<Task, Candidate> element : group.getValue()) {
        task = element.getKey();
        candidates.add(element.getValue());
      }
      candidates.sort(Comparator.comparing(Candidate::label));
      out.output(decide(task, candidates, strategy));
    }
  }

  static Outcome decide(Task task, List<Candidate> candidates, VotingStrategy strategy) {
    List<Cluster> clusters = Cluster.of(candidates);
    List<Cluster> passing = clusters.stream().filter(Cluster::passed).toList();
    Optional<Cluster> winner =
        passing.isEmpty() ? Optional.empty() : strategy.choose(passing, candidates.size());
    List<VoteCluster> votes =
        clusters.stream()
            .map(
                c ->
                    new VoteCluster(
                        c.patchHash(),
                        c.labels(),
                        c.passed(),
                        winner.isPresent() && winner.get().patchHash().equals(c.patchHash())))
            .toList();
    if (winner.isPresent()) {
      Cluster won = winner.get();
      String reason =
          String.format(
              "%s: %d of %d candidates made this change and passed the tests (%s)",
              strategy.name(),
              won.members().size(),
              candidates.size(),
              String.join(", ", won.labels()));
      return new Outcome(task, TaskState.MERGED, reason, candidates, votes, won.members().get(0).patch());
    }
    if (!passing.isEmpty()) {
      return new Outcome(
          task, TaskState.REJECTED, strategy.whyNoWinner(passing, candidates.size()), candidates, votes, "");
    }
    boolean anyProduced = candidates.stream().anyMatch(c -> c.status() != CandidateStatus.AGENT_FAILED);
    if (!anyProduced
        && !candidates.isEmpty()
        && candidates.stream().allMatch(c -> c.reason().startsWith(Budget.REASON_PREFIX + ":"))) {
      // No call was made for this task because the job's (or the task's) budget was spent.
      return new Outcome(
          task, TaskState.FAILED, candidates.get(0).reason(), candidates, votes, "");
    }
    TaskState state = anyProduced ? TaskState.REJECTED : TaskState.FAILED;
    String prefix =
        !anyProduced
            ? "every agent call failed"
            : candidates.stream().anyMatch(Candidate::violatesSpec)
                ? "no candidate passed the spec's checks and the tests"
                : "no candidate passed the tests";
    return new Outcome(task, state, prefix + ": " + describe(candidates), candidates, votes, "");
  }

  private static String describe(List<Candidate> candidates) {
    return candidates.stream()
        .map(c -> c.label() + " " + c.whatHappened())
        .collect(Collectors.joining("; "));
  }
}
