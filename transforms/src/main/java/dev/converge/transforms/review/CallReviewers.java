package dev.converge.transforms.review;

import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.workspace.Worktrees;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The Map step of a review: every reviewer reviews every chunk {@code samples} times. Outputs the
 * findings ({@link #FINDINGS}) and one {@link ReviewCall} per call ({@link #CALLS}).
 *
 * <p>Exactly one call record leaves for every (chunk, reviewer, sample): a crash, a timeout or an
 * answer that is not a valid list of findings becomes a call with status {@code failed} and the
 * reason, and contributes no finding; it never fails the bundle.
 */
public final class CallReviewers extends PTransform<PCollection<Chunk>, PCollectionTuple> {
  public static final TupleTag<Finding> FINDINGS = new TupleTag<>() {};
  public static final TupleTag<ReviewCall> CALLS = new TupleTag<>() {};

  /** Counter of reviewer calls made. */
  public static final String REVIEWER_CALLS = "reviewerCalls";

  /**
   * A reviewer and how many independent samples it makes of each chunk.
   *
   * @param agent the agent
   * @param samples samples per chunk (at least 1)
   */
  public record Reviewer(ReviewAgent agent, int samples) implements Serializable {
    public Reviewer {
      Objects.requireNonNull(agent, "agent");
      if (samples < 1) {
        throw new IllegalArgumentException("samples must be at least 1, got " + samples);
      }
    }
  }

  private final List<Reviewer> reviewers;
  private final String goal;
  private final String workDir;

  private CallReviewers(List<Reviewer> reviewers, String goal, String workDir) {
    this.reviewers = reviewers;
    this.goal = goal;
    this.workDir = workDir;
  }

  public static CallReviewers with(List<Reviewer> reviewers) {
    if (reviewers == null || reviewers.isEmpty()) {
      throw new IllegalArgumentException("at least one reviewer is needed");
    }
    return new CallReviewers(
        List.copyOf(reviewers), "", System.getProperty("java.io.tmpdir") + "/converge-work");
  }

  /** The job's goal, handed to every reviewer as context. */
  public CallReviewers withGoal(String newGoal) {
    return new CallReviewers(reviewers, newGoal == null ? "" : newGoal, workDir);
  }

  /** The folder under which each call gets its private folder (removed after the call). */
  public CallReviewers withWorkDir(String newWorkDir) {
    return new CallReviewers(reviewers, goal, Objects.requireNonNull(newWorkDir, "workDir"));
  }

  @Override
  public PCollectionTuple expand(PCollection<Chunk> chunks) {
    List<int[]> attempts = new ArrayList<>();
    for (int r = 0; r < reviewers.size(); r++) {
      for (int s = 0; s < reviewers.get(r).samples(); s++) {
        attempts.add(new int[] {r, s});
      }
    }
    int count = attempts.size();
    PCollectionTuple out =
        chunks
            .apply("ExpandCalls", ParDo.of(new ExpandFn(count)))
            .setCoder(KvCoder.of(JsonCoder.of(Chunk.class), VarIntCoder.of()))
            // Calls are long; spread them over all workers instead of the few bundles Create made.
            .apply("SpreadCalls", Reshuffle.viaRandomKey())
            .apply(
                "CallReviewers",
                ParDo.of(new CallFn(reviewers, goal, workDir))
                    .withOutputTags(FINDINGS, TupleTagList.of(CALLS)));
    out.get(FINDINGS).setCoder(JsonCoder.of(Finding.class));
    out.get(CALLS).setCoder(JsonCoder.of(ReviewCall.class));
    return out;
  }

  static final class ExpandFn extends DoFn<Chunk, KV<Chunk, Integer>> {
    private final int count;

    ExpandFn(int count) {
      this.count = count;
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<KV<Chunk, Integer>> out) {
      for (int attempt = 0; attempt < count; attempt++) {
        out.output(KV.of(chunk, attempt));
      }
    }
  }

  static final class CallFn extends DoFn<KV<Chunk, Integer>, Finding> {
    private final Counter calls = Metrics.counter(CallReviewers.class, REVIEWER_CALLS);
    private final List<Reviewer> reviewers;
    private final String goal;
    private final String workDir;

    CallFn(List<Reviewer> reviewers, String goal, String workDir) {
      this.reviewers = reviewers;
      this.goal = goal;
      this.workDir = workDir;
    }

    @ProcessElement
    public void process(@Element KV<Chunk, Integer> attempt, MultiOutputReceiver out) {
      Chunk chunk = attempt.getKey();
      int index = attempt.getValue();
      Reviewer reviewer = null;
      int sample = index;
      for (Reviewer candidate : reviewers) {
        if (sample < candidate.samples()) {
          reviewer = candidate;
          break;
        }
        sample -= candidate.samples();
      }
      ReviewAgent agent = Objects.requireNonNull(reviewer, "attempt out of range").agent();
      ReviewAgent.Reply reply;
      String error = null;
      Path dir = null;
      try {
        Path parent = Files.createDirectories(Path.of(workDir));
        dir = Files.createTempDirectory(parent, "review-");
        calls.inc();
        reply = agent.review(chunk, sample, goal, dir);
      } catch (Exception e) {
        error = "could not run the reviewer: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        reply = new ReviewAgent.Reply(-1, false, "", "", 0);
      } finally {
        Worktrees.delete(dir);
      }
      ReviewReplies.FindingsAnswer answer =
          error != null
              ? ReviewReplies.FindingsAnswer.failed(error)
              : ReviewReplies.findings(reply, chunk, agent.id(), sample);
      answer.findings().forEach(out.get(FINDINGS)::output);
      out.get(CALLS)
          .output(
              new ReviewCall(
                  chunk.target(),
                  chunk.path(),
                  chunk.startLine(),
                  chunk.endLine(),
                  chunk.ruleIds(),
                  agent.id(),
                  agent.kind(),
                  sample,
                  answer.ok() ? ReviewCall.OK : ReviewCall.FAILED,
                  answer.error(),
                  answer.findings().size(),
                  reply.durationMs(),
                  answer.ok() ? reply.log() : ReviewReplies.tail(reply.log() + (reply.log().isEmpty() ? "" : "\n") + reply.answer())));
    }
  }
}
