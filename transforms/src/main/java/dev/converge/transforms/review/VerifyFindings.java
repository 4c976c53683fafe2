package dev.converge.transforms.review;

import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.workspace.Worktrees;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * The adversarial verification of a review: a verifier agent is asked to refute every cluster that
 * reached the quorum, and must answer a JSON verdict. {@code confirmed} clusters are reported,
 * {@code refuted} ones are not. A verification that fails (crash, timeout, bad JSON) is recorded
 * in the verdict and the cluster becomes {@code unverified} (reported) or {@code verify-failed}
 * (not reported), as configured. Clusters in other states pass through unchanged.
 */
public final class VerifyFindings
    extends PTransform<PCollection<FindingCluster>, PCollection<FindingCluster>> {
  /** Counter of verifier calls made. */
  public static final String VERIFIER_CALLS = "verifierCalls";

  private final ReviewAgent verifier;
  private final Map<String, Rule> rules;
  private final boolean reportFailedVerifications;
  private final String goal;
  private final String workDir;

  private VerifyFindings(
      ReviewAgent verifier, Map<String, Rule> rules, boolean reportFailedVerifications, String goal, String workDir) {
    this.verifier = verifier;
    this.rules = rules;
    this.reportFailedVerifications = reportFailedVerifications;
    this.goal = goal;
    this.workDir = workDir;
  }

  /** Verifies with {@code verifier}; {@code rules} must hold every rule a finding may name. */
  public static VerifyFindings with(ReviewAgent verifier, List<Rule> rules) {
    Map<String, Rule> byId = new HashMap<>();
    rules.forEach(r -> byId.put(r.id(), r));
    return new VerifyFindings(
        Objects.requireNonNull(verifier, "verifier"),
        byId,
        true,
        "",
        System.getProperty("java.io.tmpdir") + "/converge-work");
  }

  /** Whether a cluster whose verification failed is still reported (default true). */
  public VerifyFindings reportingFailedVerifications(boolean report) {
    return new VerifyFindings(verifier, rules, report, goal, workDir);
  }

  public VerifyFindings withGoal(String newGoal) {
    return new VerifyFindings(verifier, rules, reportFailedVerifications, newGoal == null ? "" : newGoal, workDir);
  }

  public VerifyFindings withWorkDir(String newWorkDir) {
    return new VerifyFindings(
        verifier, rules, reportFailedVerifications, goal, Objects.requireNonNull(newWorkDir, "workDir"));
  }

  @Override
  public PCollection<FindingCluster> expand(PCollection<FindingCluster> clusters) {
    return clusters
        .apply("SpreadVerifications", Reshuffle.viaRandomKey())
        .apply("Verify", ParDo.of(new VerifyFn(new Verifier(verifier, rules, reportFailedVerifications, goal, workDir))))
        .setCoder(JsonCoder.of(FindingCluster.class));
  }

  /** The verification of one cluster, with everything it needs; serializable for the workers. */
  record Verifier(
      ReviewAgent verifier,
      Map<String, Rule> rules,
      boolean reportFailedVerifications,
      String goal,
      String workDir)
      implements Serializable {

    /** Verifies one cluster; clusters that are not accepted are returned as they are. */
    FindingCluster verify(FindingCluster cluster) {
      if (cluster.state() != ClusterState.ACCEPTED) {
        return cluster;
      }
      Verdict verdict;
      Path dir = null;
      try {
        Path parent = Files.createDirectories(Path.of(workDir));
        dir = Files.createTempDirectory(parent, "verify-");
        Rule rule = rules.getOrDefault(cluster.rule(), new Rule(cluster.rule(), null, null, cluster.severity(), null));
        verdict = ReviewReplies.verdict(verifier.verify(cluster, rule, goal, dir), verifier.id());
      } catch (Exception e) {
        verdict =
            new Verdict(
                verifier.id(),
                Verdict.FAILED,
                "could not run the verifier: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                0,
                "");
      } finally {
        Worktrees.delete(dir);
      }
      return switch (verdict.status()) {
        case Verdict.CONFIRMED ->
            cluster.withVerdict(
                ClusterState.CONFIRMED,
                cluster.reason() + "; " + verifier.id() + " confirmed it" + because(verdict),
                verdict);
        case Verdict.REFUTED ->
            cluster.withVerdict(
                ClusterState.REFUTED,
                verifier.id() + " refuted it" + because(verdict) + " (" + cluster.reason() + ")",
                verdict);
        default ->
            cluster.withVerdict(
                reportFailedVerifications ? ClusterState.UNVERIFIED : ClusterState.VERIFY_FAILED,
                "the verification failed: " + verdict.reason() + " (" + cluster.reason() + ")",
                verdict);
      };
    }

    private static String because(Verdict verdict) {
      return verdict.reason().isEmpty() ? "" : ": " + verdict.reason();
    }
  }

  static final class VerifyFn extends DoFn<FindingCluster, FindingCluster> {
    private final Counter calls = Metrics.counter(VerifyFindings.class, VERIFIER_CALLS);
    private final Verifier settings;

    VerifyFn(Verifier settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element FindingCluster cluster, OutputReceiver<FindingCluster> out) {
      if (cluster.state() == ClusterState.ACCEPTED) {
        calls.inc();
      }
      out.output(settings.verify(cluster));
    }
  }
}
