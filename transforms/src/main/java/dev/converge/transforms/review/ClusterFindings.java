package dev.converge.transforms.review;

import dev.converge.transforms.model.JsonCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * The Reduce step of a review: groups findings by file and rule, clusters near duplicates
 * ({@link Clustering}: overlapping lines, similar messages) and applies the quorum. Every cluster
 * leaves, in state {@code accepted} or {@code no-quorum}.
 *
 * <p>The group key is (file, rule) rather than a fixed window of lines, so that findings near a
 * window's edge are never split from their duplicates; one file's findings of one rule are few.
 */
public final class ClusterFindings
    extends PTransform<PCollection<Finding>, PCollection<FindingCluster>> {
  private final int quorum;
  private final int reviewerCount;
  private final TextSimilarity similarity;
  private final double minSimilarity;
  private final int lineTolerance;

  private ClusterFindings(
      int quorum, int reviewerCount, TextSimilarity similarity, double minSimilarity, int lineTolerance) {
    this.quorum = quorum;
    this.reviewerCount = reviewerCount;
    this.similarity = similarity;
    this.minSimilarity = minSimilarity;
    this.lineTolerance = lineTolerance;
  }

  /**
   * Clusters with quorum {@code quorum} out of {@code reviewerCount} reviewer agents, similarity
   * {@link TextSimilarity#words()} of at least 0.2 and a line tolerance of 2.
   */
  public static ClusterFindings withQuorum(int quorum, int reviewerCount) {
    if (quorum < 1 || quorum > reviewerCount) {
      throw new IllegalArgumentException(
          "quorum must be between 1 and the number of reviewers (" + reviewerCount + "), got " + quorum);
    }
    return new ClusterFindings(quorum, reviewerCount, TextSimilarity.words(), 0.2, 2);
  }

  public ClusterFindings withSimilarity(TextSimilarity newSimilarity, double newMinSimilarity) {
    if (newMinSimilarity < 0 || newMinSimilarity > 1) {
      throw new IllegalArgumentException("minSimilarity must be between 0 and 1, got " + newMinSimilarity);
    }
    return new ClusterFindings(
        quorum, reviewerCount, Objects.requireNonNull(newSimilarity, "similarity"), newMinSimilarity, lineTolerance);
  }

  public ClusterFindings withLineTolerance(int newLineTolerance) {
    if (newLineTolerance < 0) {
      throw new IllegalArgumentException("lineTolerance must not be negative, got " + newLineTolerance);
    }
    return new ClusterFindings(quorum, reviewerCount, similarity, minSimilarity, newLineTolerance);
  }

  @Override
  public PCollection<FindingCluster> expand(PCollection<Finding> findings) {
    return findings
        .apply("KeyByFileAndRule", WithKeys.of((Finding f) -> f.fileKey() + "\u0000" + f.rule())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Finding.class)))
        .apply("GroupByFileAndRule", GroupByKey.create())
        .apply(
            "ClusterAndCount",
            ParDo.of(new ClusterFn(quorum, reviewerCount, similarity, minSimilarity, lineTolerance)))
        .setCoder(JsonCoder.of(FindingCluster.class));
  }

  static final class ClusterFn extends DoFn<KV<String, Iterable<Finding>>, FindingCluster> {
    private final int quorum;
    private final int reviewerCount;
    private final TextSimilarity similarity;
    private final double minSimilarity;
    private final int lineTolerance;

    ClusterFn(int quorum, int reviewerCount, TextSimilarity similarity, double minSimilarity, int lineTolerance) {
      this.quorum = quorum;
      this.reviewerCount = reviewerCount;
      this.similarity = similarity;
      this.minSimilarity = minSimilarity;
      this.lineTolerance = lineTolerance;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Finding>> group, OutputReceiver<FindingCluster> out) {
      List<Finding> findings = new ArrayList<>();
      group.getValue().forEach(findings::add);
      for (List<Finding> members : Clustering.cluster(findings, similarity, minSimilarity, lineTolerance)) {
        out.output(Clustering.decide(members, quorum, reviewerCount));
      }
    }
  }
}
