package dev.converge.transforms.verify;

import dev.converge.transforms.agent.Verifier;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.vote.BestOfVote;
import dev.converge.transforms.vote.Cluster;
import dev.converge.transforms.workspace.Worktrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * A verify stage: a verifier agent judges the patch of every task that is {@code merged} so far and
 * not yet accepted by this stage. Accepted tasks stay merged; a rejected patch (or a verifier that
 * cannot answer in the schema) makes the task {@code rejected}, with the verdict as its reason, and
 * a later {@link RepairOutcomes} stage may repair it. Other tasks pass through untouched.
 *
 * <p>With {@link #withBestOf}, the first verify stage asks about every passing cluster of the vote
 * and the accepted one with the highest score wins ({@link BestOfVote}).
 *
 * <p>Judgements run asynchronously, at most {@code concurrency} at once per DoFn instance, and
 * their outcomes leave in {@code @FinishBundle}; every input outcome leaves exactly once. Each
 * verifier call takes a slot of its provider in the run the {@link Verifier} shares (see {@link
 * Verifier#sharing}), so verifier, implement and repair calls keep one concurrency, rate limit and
 * budget.
 */
public final class VerifyOutcomes extends PTransform<PCollection<Outcome>, PCollection<Outcome>> {
  /** Counter of verifier calls made (cache hits are not calls). */
  public static final String VERIFIER_CALLS = "verifierCalls";

  /** What a verify stage asks and how; the transform and its DoFn share it. */
  private record Settings(
      Verifier verifier, String stage, int round, boolean bestOf, int concurrency, int confirmations)
      implements java.io.Serializable {}

  private final Settings settings;

  private VerifyOutcomes(Settings settings) {
    this.settings = settings;
  }

  /** A {@code verify} stage of round 0 (the vote's winners). */
  public static VerifyOutcomes with(Verifier verifier) {
    int declared = Objects.requireNonNull(verifier, "verifier").agent().limits().concurrency();
    return new VerifyOutcomes(new Settings(verifier, Verification.VERIFY, 0, false, declared > 0 ? declared : 8, 1));
  }

  /** The verify stage after repair round {@code newRound}. */
  public VerifyOutcomes atRound(int newRound) {
    if (newRound < 0) {
      throw new IllegalArgumentException("round must be 0 or more, got " + newRound);
    }
    Settings s = settings;
    return new VerifyOutcomes(new Settings(s.verifier, s.stage, newRound, s.bestOf, s.concurrency, s.confirmations));
  }

  /**
   * The final check: every merged task is judged again, whoever accepted it before, and a
   * rejection is final.
   */
  public VerifyOutcomes asFinal() {
    Settings s = settings;
    return new VerifyOutcomes(new Settings(s.verifier, Verification.FINAL, s.round, false, s.concurrency, s.confirmations));
  }

  /** Scores every passing cluster and lets the best accepted one win (the {@code best-of} vote). */
  public VerifyOutcomes withBestOf(boolean enabled) {
    Settings s = settings;
    if (enabled && s.stage.equals(Verification.FINAL)) {
      throw new IllegalArgumentException("best-of picks among clusters; the final stage only confirms");
    }
    return new VerifyOutcomes(new Settings(s.verifier, s.stage, s.round, enabled, s.concurrency, s.confirmations));
  }

  /** Judgements in progress at once per worker instance (default: the agent's concurrency, else 8). */
  public VerifyOutcomes withConcurrency(int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + calls);
    }
    Settings s = settings;
    return new VerifyOutcomes(new Settings(s.verifier, s.stage, s.round, s.bestOf, calls, s.confirmations));
  }

  /**
   * How many independent judgements of the verifier must all accept a patch (default 1); the
   * verifier is asked again only while it accepts. Repaired patches have no vote behind them, so
   * the verify stages after repair rounds ask for more than one.
   */
  public VerifyOutcomes withConfirmations(int judgements) {
    if (judgements < 1 || judgements > Verifier.MAX_OPINIONS) {
      throw new IllegalArgumentException(
          "confirmations must be from 1 to " + Verifier.MAX_OPINIONS + ", got " + judgements);
    }
    Settings s = settings;
    return new VerifyOutcomes(new Settings(s.verifier, s.stage, s.round, s.bestOf, s.concurrency, judgements));
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Outcome> outcomes) {
    return outcomes
        .apply("Judge", ParDo.of(new JudgeFn(settings)))
        .setCoder(JsonCoder.of(Outcome.class));
  }

  /** Judges the outcomes of a bundle concurrently and emits them when the bundle finishes. */
  static final class JudgeFn extends DoFn<Outcome, Outcome> {
    private final Counter calls = Metrics.counter(VerifyOutcomes.class, VERIFIER_CALLS);
    private final Settings settings;
    private transient ExecutorService pool;
    private transient List<Pending> pending;

    JudgeFn(Settings settings) {
      this.settings = settings;
    }

    /** A judgement in flight; {@code verdictsBefore} tells its new verdicts from the old ones. */
    private record Pending(
        CompletableFuture<Outcome> outcome, int verdictsBefore, Instant timestamp, BoundedWindow window) {}

    @Setup
    public void setup() {
      pool = Executors.newFixedThreadPool(settings.concurrency, runnable -> {
        Thread thread = new Thread(runnable, "converge-verifier");
        thread.setDaemon(true);
        return thread;
      });
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element Outcome outcome, @Timestamp Instant timestamp, BoundedWindow window) {
      CompletableFuture<Outcome> judged =
          needsJudging(outcome)
              ? CompletableFuture.supplyAsync(() -> judge(outcome), pool)
                  .exceptionally(failure -> outcome.withDecision(
                      TaskState.REJECTED, "verification failed: " + failure, ""))
              : CompletableFuture.completedFuture(outcome);
      pending.add(new Pending(judged, outcome.verifications().size(), timestamp, window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Pending one : pending) {
        Outcome judged = one.outcome().join();
        // Counted here: metrics can only be reported from the bundle's thread.
        calls.inc(
            judged.verifications().stream().skip(one.verdictsBefore()).filter(v -> !v.cached()).count());
        context.output(judged, one.timestamp(), one.window());
      }
      pending = new ArrayList<>();
    }

    @Teardown
    public void teardown() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }

    private boolean needsJudging(Outcome outcome) {
      if (settings.bestOf) {
        return outcome.state() == TaskState.MERGED;
      }
      if (outcome.state() != TaskState.MERGED) {
        return false;
      }
      if (settings.stage.equals(Verification.FINAL)) {
        return true;
      }
      // Judged already when this stage's last judgement accepted this very patch.
      String hash = Worktrees.patchHash(outcome.patch());
      List<Verification> verdicts =
          outcome.verifications().stream().filter(v -> v.stage().equals(Verification.VERIFY)).toList();
      Verification last = verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
      return last == null || !last.accepted() || !last.patchHash().equals(hash);
    }

    private Outcome judge(Outcome outcome) {
      return settings.bestOf ? judgeEveryCluster(outcome) : judgePatch(outcome);
    }

    private Outcome judgePatch(Outcome outcome) {
      Outcome judged = outcome;
      Verification verdict = null;
      for (int opinion = 0; opinion < settings.confirmations && (verdict == null || verdict.accepted()); opinion++) {
        verdict = settings.verifier.verify(outcome.task(), outcome.patch(), settings.stage, settings.round, opinion);
        judged = judged.withVerification(verdict);
      }
      String times = settings.confirmations > 1 && verdict.accepted() ? " (" + settings.confirmations + " times)" : "";
      return verdict.accepted()
          ? judged.withState(TaskState.MERGED, outcome.reason() + "; " + verdict.describe() + times)
          : judged.withDecision(TaskState.REJECTED, verdict.describe(), "");
    }

    private Outcome judgeEveryCluster(Outcome outcome) {
      List<Cluster> passing = Cluster.of(outcome.candidates()).stream().filter(Cluster::passed).toList();
      Map<String, Verification> verdicts = new LinkedHashMap<>();
      Outcome judged = outcome;
      for (Cluster cluster : passing) {
        Verification verdict = settings.verifier.verify(outcome.task(), cluster.members().get(0).patch(), settings.stage, settings.round, 0);
        verdicts.put(cluster.patchHash(), verdict);
        judged = judged.withVerification(verdict);
      }
      Optional<Cluster> best = BestOfVote.choose(passing, verdicts);
      if (best.isEmpty()) {
        String why =
            verdicts.values().stream().map(Verification::describe).reduce((a, b) -> a + "; " + b).orElse("");
        return judged.withDecision(
            TaskState.REJECTED, "best-of: the verifier accepted none of " + passing.size() + " passing changes: " + why, "");
      }
      Cluster won = best.get();
      Verification verdict = verdicts.get(won.patchHash());
      return judged.withDecision(
          TaskState.MERGED,
          String.format(
              "best-of: score %.2f of %d passing changes (%s); %s",
              verdict.score(), passing.size(), String.join(", ", won.labels()), verdict.describe()),
          won.members().get(0).patch());
    }
  }
}
