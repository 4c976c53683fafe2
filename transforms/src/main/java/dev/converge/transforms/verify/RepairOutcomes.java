package dev.converge.transforms.verify;

import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Repair;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Texts;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.vote.Cluster;
import dev.converge.transforms.workspace.Worktrees;
import java.io.Serializable;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One repair round: every rejected task whose patch a verifier rejected, or whose candidates all
 * failed the tests, goes to the repair agent with the rejected patch and the reasons (the verdict,
 * or the tail of the test output). The repaired candidate is checked like any candidate (the
 * spec's constraints and the tests, run by Converge: an agent's own claims are never trusted); if it
 * passes, the task is {@code merged} again with the new patch, for the next verify stage to judge.
 * Tasks with nothing to repair pass through untouched.
 *
 * <p>Round r runs the repair agent with samples numbered from {@code r * }{@link
 * #SAMPLES_PER_ROUND}, so every round is a fresh, separately cached call.
 */
public final class RepairOutcomes extends PTransform<PCollection<Outcome>, PCollection<Outcome>> {
  /** Sample numbers reserved per repair round. */
  public static final int SAMPLES_PER_ROUND = 1000;

  /** Characters of test output handed to the repair agent. */
  static final int FEEDBACK_TAIL_CHARS = 2000;

  private static final TupleTag<KV<String, Request>> TO_REPAIR = new TupleTag<>() {};
  private static final TupleTag<Outcome> UNCHANGED = new TupleTag<>() {};
  private static final TupleTag<Request> REQUESTS = new TupleTag<>() {};
  private static final TupleTag<Candidate> REPAIRED = new TupleTag<>() {};

  private final ImplementTasks repairer;
  private final PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check;
  private final int round;
  private final int samples;

  private RepairOutcomes(
      ImplementTasks repairer,
      PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check,
      int round,
      int samples) {
    this.repairer = repairer;
    this.check = check;
    this.round = round;
    this.samples = samples;
  }

  /**
   * Round {@code round} with {@code repairer} (an {@link ImplementTasks} of the repair agent,
   * configured like the job's implement stage) and {@code check} (the constraints and tests every
   * candidate goes through).
   */
  public static RepairOutcomes with(
      ImplementTasks repairer,
      PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> check,
      int round) {
    if (round < 1) {
      throw new IllegalArgumentException("repair rounds count from 1, got " + round);
    }
    return new RepairOutcomes(
        Objects.requireNonNull(repairer, "repairer"), Objects.requireNonNull(check, "check"), round, 1);
  }

  /**
   * Repairs per task in this round (default 1); with more, the passing repairs vote like the first
   * candidates did, and the largest cluster is the round's change.
   */
  public RepairOutcomes withSamples(int repairs) {
    if (repairs < 1 || repairs >= SAMPLES_PER_ROUND) {
      throw new IllegalArgumentException("repair samples must be from 1 to " + (SAMPLES_PER_ROUND - 1) + ", got " + repairs);
    }
    return new RepairOutcomes(repairer, check, round, repairs);
  }

  /**
   * What a repair agent gets: the task with the reasons and the rejected patch added to its
   * instructions.
   *
   * @param outcome the rejected outcome
   * @param patch the rejected patch
   * @param feedback why it was rejected
   */
  record Request(Outcome outcome, String patch, String feedback) implements Serializable {
    Task repairTask() {
      Task task = outcome.task();
      return task.withInstructions(instructions(task.instructions(), patch, feedback));
    }
  }

  /** The repair agent's instructions: the task's, the reasons, and the rejected change. */
  static String instructions(String original, String patch, String feedback) {
    return original.strip()
        + "\n\nA previous change for this task was rejected. Make a complete, correct change from the"
        + " base commit; the rejected change is shown only so that you can see what went wrong.\n\n"
        + "Why it was rejected:\n" + feedback.strip() + "\n\n"
        + "The rejected change:\n" + patch;
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Outcome> outcomes) {
    KvCoder<String, Request> requestCoder =
        KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Request.class));
    PCollectionTuple split =
        outcomes.apply(
            "FindRepairs",
            ParDo.of(new FindRepairsFn(round)).withOutputTags(TO_REPAIR, TupleTagList.of(UNCHANGED)));
    PCollection<KV<String, Request>> requests = split.get(TO_REPAIR).setCoder(requestCoder);
    split.get(UNCHANGED).setCoder(JsonCoder.of(Outcome.class));

    PCollection<KV<String, Candidate>> repaired =
        requests
            .apply(
                "RepairTasks",
                MapElements.into(TypeDescriptor.of(Task.class)).via(request -> request.getValue().repairTask()))
            .setCoder(JsonCoder.of(Task.class))
            .apply("Repair", repairer.withSamples(samples).withFirstSample(round * SAMPLES_PER_ROUND))
            .apply("CheckRepairs", check)
            .apply(
                "KeyRepairsByTask",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Candidate.class)))
                    .via(kv -> KV.of(kv.getKey().id(), kv.getValue())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Candidate.class)));

    PCollection<Outcome> settled =
        KeyedPCollectionTuple.of(REQUESTS, requests)
            .and(REPAIRED, repaired)
            .apply("JoinRepairs", CoGroupByKey.create())
            .apply("SettleRepairs", ParDo.of(new SettleFn(round)))
            .setCoder(JsonCoder.of(Outcome.class));
    return PCollectionList.of(split.get(UNCHANGED)).and(settled).apply("AllOutcomes", Flatten.pCollections());
  }

  /** Sends each outcome that has something to repair to the repair agent; the rest pass. */
  static final class FindRepairsFn extends DoFn<Outcome, KV<String, Request>> {
    private final int round;

    FindRepairsFn(int round) {
      this.round = round;
    }

    @ProcessElement
    public void process(@Element Outcome outcome, MultiOutputReceiver out) {
      Optional<Request> request = requestFor(outcome, round);
      if (request.isPresent()) {
        out.get(TO_REPAIR).output(KV.of(outcome.task().id(), request.get()));
      } else {
        out.get(UNCHANGED).output(outcome);
      }
    }
  }

  /**
   * What to repair in round {@code round}, if anything: the last repair's patch when it failed the
   * tests; else the patch a verifier rejected last; else, when no candidate passed the tests, the
   * first candidate (by label) whose change failed them. Tasks rejected for other reasons (a quorum
   * not reached, a verifier that could not answer, the budget) are not repaired.
   */
  static Optional<Request> requestFor(Outcome outcome, int round) {
    int lastRound = outcome.repairs().stream().mapToInt(Repair::round).max().orElse(0);
    if (outcome.state() != TaskState.REJECTED || lastRound >= round) {
      return Optional.empty();
    }
    if (lastRound > 0) {
      List<Repair> last = outcome.repairs().stream().filter(r -> r.round() == lastRound).toList();
      if (last.stream().noneMatch(r -> r.candidate().passedTests())) {
        Optional<Candidate> failing =
            last.stream()
                .map(Repair::candidate)
                .filter(c -> c.status() == CandidateStatus.PRODUCED && !c.violatesSpec())
                .min(Comparator.comparing(Candidate::label));
        if (failing.isPresent()) {
          return Optional.of(new Request(outcome, failing.get().patch(), testFeedback(failing.get())));
        }
        // The repair agent made nothing usable: ask again with what it was given before.
        Repair any = last.get(0);
        return patchWithHash(outcome, any.repairedPatchHash()).map(patch -> new Request(outcome, patch, any.feedback()));
      }
    }
    List<Verification> verdicts =
        outcome.verifications().stream().filter(v -> v.stage().equals(Verification.VERIFY)).toList();
    if (!verdicts.isEmpty()) {
      Verification last = verdicts.get(verdicts.size() - 1);
      if (last.accepted() || !last.valid()) {
        return Optional.empty();
      }
      return patchWithHash(outcome, last.patchHash()).map(patch -> new Request(outcome, patch, verdictFeedback(last)));
    }
    if (outcome.allCandidates().anyMatch(Candidate::passedTests)) {
      return Optional.empty();
    }
    return outcome.candidates().stream()
        .filter(c -> c.status() == CandidateStatus.PRODUCED && !c.violatesSpec() && c.test() != null)
        .min(Comparator.comparing(Candidate::label))
        .map(c -> new Request(outcome, c.patch(), testFeedback(c)));
  }

  private static Optional<String> patchWithHash(Outcome outcome, String hash) {
    return outcome.allCandidates()
        .filter(c -> !hash.isEmpty() && hash.equals(c.patchHash()))
        .map(Candidate::patch)
        .findFirst();
  }

  static String verdictFeedback(Verification verdict) {
    StringBuilder text = new StringBuilder("The verifier " + verdict.verifierId() + " rejected it:\n");
    verdict.reasons().forEach(reason -> text.append("- ").append(reason).append('\n'));
    if (!verdict.locations().isEmpty()) {
      text.append("Places: ").append(String.join(", ", verdict.locations())).append('\n');
    }
    return text.toString();
  }

  /**
   * Durations such as {@code 0.003s} or {@code 12 ms} in test output: masked in the feedback, so a
   * re-run asks the repair agent the same question and gets its answer from the cache.
   */
  private static final Pattern DURATION =
      Pattern.compile("\\b\\d+(?:\\.\\d+)?\\s?(?:ms|s|sec|secs|seconds)\\b");

  static String testFeedback(Candidate candidate) {
    String output =
        candidate.test() == null ? "" : DURATION.matcher(candidate.test().outputTail()).replaceAll("<time>");
    return "It " + candidate.whatHappened() + ". The end of the test output:\n" + Texts.tail(output, FEEDBACK_TAIL_CHARS);
  }

  /** Records the round on the outcome and decides the task again from the repaired candidate. */
  static final class SettleFn extends DoFn<KV<String, CoGbkResult>, Outcome> {
    private final int round;

    SettleFn(int round) {
      this.round = round;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Outcome> out) {
      Request request = joined.getValue().getOnly(REQUESTS);
      List<Candidate> repaired = new ArrayList<>();
      joined.getValue().getAll(REPAIRED).forEach(repaired::add);
      repaired.sort(Comparator.comparing(Candidate::label));
      out.output(settle(request, repaired, round));
    }
  }

  static Outcome settle(Request request, List<Candidate> repaired, int round) {
    Outcome outcome = request.outcome();
    if (repaired.isEmpty()) {
      // Never expected (ImplementTasks emits one candidate per call); if it happens, say so.
      return outcome.withState(
          TaskState.REJECTED, outcome.reason() + "; repair round " + round + " produced no result");
    }
    Outcome recorded = outcome;
    for (Candidate candidate : repaired) {
      recorded =
          recorded.withRepair(new Repair(round, Worktrees.patchHash(request.patch()), request.feedback(), candidate));
    }
    Optional<Cluster> winner = Cluster.of(repaired).stream().filter(Cluster::passed).findFirst();
    if (winner.isPresent()) {
      String by =
          "repair round " + round + " by " + String.join(", ", winner.get().labels())
              + (repaired.size() > 1 ? " (" + winner.get().members().size() + " of " + repaired.size() + " repairs)" : "");
      return recorded.withDecision(
          TaskState.MERGED, by + " passed the tests (it was rejected: " + Texts.firstLine(outcome.reason()) + ")",
          winner.get().members().get(0).patch());
    }
    Candidate first = repaired.get(0);
    return recorded.withState(
        TaskState.REJECTED,
        outcome.reason() + "; repair round " + round + " by " + first.label() + " " + first.whatHappened()
            + (repaired.size() > 1 ? " (and " + (repaired.size() - 1) + " more repairs)" : ""));
  }
}
