package dev.converge.pipelines.review;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.ChunkingSpec;
import dev.converge.pipelines.spec.ConsensusSpec;
import dev.converge.pipelines.spec.ReviewerSpec;
import dev.converge.pipelines.spec.RuleSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.report.OutputFiles;
import dev.converge.transforms.review.CallReviewers;
import dev.converge.transforms.review.ChunkFiles;
import dev.converge.transforms.review.ClusterFindings;
import dev.converge.transforms.review.CommandReviewAgent;
import dev.converge.transforms.review.FindingCluster;
import dev.converge.transforms.review.Globs;
import dev.converge.transforms.review.IncrementalPlan;
import dev.converge.transforms.review.ReviewAgent;
import dev.converge.transforms.review.ReviewCall;
import dev.converge.transforms.review.ReviewOutputs;
import dev.converge.transforms.review.ReviewState;
import dev.converge.transforms.review.Rule;
import dev.converge.transforms.review.Severity;
import dev.converge.transforms.review.SourceFile;
import dev.converge.transforms.review.TextSimilarity;
import dev.converge.transforms.review.VerifyFindings;
import dev.converge.transforms.review.WriteJsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * A review job compiled from its spec: the files in scope and which of them to review now, the
 * rules, the reviewers, the verifier, and the pipeline
 *
 * <pre>
 *   Files (Create) -> ChunkFiles (chunk x rule group) -> CallReviewers -> ClusterFindings
 *       (GroupByKey file+rule, cluster near duplicates, quorum) -> VerifyFindings -> results.jsonl
 *                                                  \-> calls.jsonl
 * </pre>
 *
 * then, on the driver, {@link ReviewOutputs#finish} (findings, SARIF, summary, board, next state).
 *
 * <p>Planning happens here on the driver: targets are resolved, every file in scope is hashed and
 * compared with the previous run's state, so only new and changed files reach the pipeline.
 */
public final class ReviewJob {
  /** The state file's name in the output folder when neither the spec nor the caller names one. */
  public static final String DEFAULT_STATE_FILE = "review-state.json";

  /** Used when a command agent has no {@code timeoutSeconds}. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 600;

  /**
   * How the caller runs the job.
   *
   * @param outputDir the output folder (local or a Beam FileSystems path)
   * @param statePath the state file, overriding the spec's {@code state}; null for the spec's or the
   *     default {@code review-state.json} in the output folder
   * @param full review every file, whatever the state says
   * @param cloneDir where URL targets are cloned
   */
  public record Settings(String outputDir, String statePath, boolean full, Path cloneDir) {}

  private final Spec spec;
  private final List<ReviewTargets.ReviewTarget> targets;
  private final List<Rule> rules;
  private final List<CallReviewers.Reviewer> reviewers;
  private final ReviewAgent verifier;
  private final boolean reportFailedVerifications;
  private final int quorum;
  private final String similarity;
  private final double minSimilarity;
  private final int lineTolerance;
  private final int lines;
  private final int overlap;
  private final int rulesPerCall;
  private final List<SourceFile> files;
  private final String config;
  private final String statePath;
  private final IncrementalPlan plan;

  private ReviewJob(Builder b) {
    this.spec = b.spec;
    this.targets = List.copyOf(b.targets);
    this.rules = List.copyOf(b.rules);
    this.reviewers = List.copyOf(b.reviewers);
    this.verifier = b.verifier;
    this.reportFailedVerifications = b.reportFailedVerifications;
    this.quorum = b.quorum;
    this.similarity = b.similarity;
    this.minSimilarity = b.minSimilarity;
    this.lineTolerance = b.lineTolerance;
    this.lines = b.lines;
    this.overlap = b.overlap;
    this.rulesPerCall = b.rulesPerCall;
    this.files = List.copyOf(b.files);
    this.config = b.config;
    this.statePath = b.statePath;
    this.plan = b.plan;
  }

  /**
   * Resolves the targets and files, reads the previous state and plans the run of a validated
   * review spec. Reading a state on a Beam FileSystems path needs its file system registered.
   */
  public static ReviewJob compile(Spec spec, Path specFile, Settings settings) throws PlanException {
    if (!spec.isReview()) {
      throw new IllegalArgumentException("not a review spec: kind is '" + spec.kind() + "'");
    }
    Path specDir = specFile.toAbsolutePath().normalize().getParent();
    Builder b = new Builder();
    b.spec = spec;
    b.rules = rules(spec);
    b.targets = ReviewTargets.resolveAll(spec.targets(), specDir, settings.cloneDir());
    Map<String, AgentSpec> agents =
        spec.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity()));
    b.reviewers = new ArrayList<>();
    for (ReviewerSpec reviewer : spec.reviewers()) {
      b.reviewers.add(
          new CallReviewers.Reviewer(
              agent(agents.get(reviewer.agent()), specDir),
              reviewer.samples() == null ? 1 : reviewer.samples()));
    }
    if (spec.verify() != null) {
      b.verifier = agent(agents.get(spec.verify().agent()), specDir);
      b.reportFailedVerifications = !"drop".equals(spec.verify().onError());
    }
    ConsensusSpec consensus = spec.consensus() == null ? new ConsensusSpec(null, null, null, null) : spec.consensus();
    b.quorum = consensus.quorum() != null ? consensus.quorum() : b.reviewers.size() / 2 + 1;
    b.similarity = consensus.similarity() != null ? consensus.similarity() : TextSimilarity.WORDS;
    b.minSimilarity = consensus.minSimilarity() != null ? consensus.minSimilarity() : 0.2;
    b.lineTolerance = consensus.lineTolerance() != null ? consensus.lineTolerance() : 2;
    ChunkingSpec chunking = spec.chunking() == null ? new ChunkingSpec(null, null, null) : spec.chunking();
    b.lines = chunking.lines() != null ? chunking.lines() : ChunkFiles.DEFAULT_LINES;
    b.overlap = chunking.overlap() != null ? chunking.overlap() : Math.min(ChunkFiles.DEFAULT_OVERLAP, b.lines / 10);
    b.rulesPerCall = chunking.rulesPerCall() != null ? chunking.rulesPerCall() : ChunkFiles.DEFAULT_RULES_PER_CALL;
    b.files = new ArrayList<>();
    for (ReviewTargets.ReviewTarget target : b.targets) {
      target.files().stream()
          .filter(f -> b.rules.stream().anyMatch(r -> r.appliesTo(f.path())))
          .forEach(b.files::add);
    }
    if (b.files.isEmpty()) {
      throw new PlanException("no file of the targets matches the rules' 'files' globs (and the targets' 'paths')");
    }
    b.config = b.configHash(spec);
    b.statePath = statePath(spec, specDir, settings);
    Optional<ReviewState> previous;
    try {
      previous = ReviewState.read(b.statePath);
    } catch (IOException e) {
      throw new PlanException("state: " + e.getMessage() + " (delete it to start afresh)", e);
    }
    b.plan = IncrementalPlan.of(b.files, previous, b.config, settings.full());
    return new ReviewJob(b);
  }

  private static List<Rule> rules(Spec spec) throws PlanException {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < spec.rules().size(); i++) {
      RuleSpec rule = spec.rules().get(i);
      for (String glob : rule.files()) {
        try {
          Globs.check(glob);
        } catch (IllegalArgumentException e) {
          throw new PlanException("rules[" + i + "].files: not a valid glob '" + glob + "': " + e.getMessage(), e);
        }
      }
      rules.add(
          new Rule(
              rule.id(),
              rule.title(),
              rule.description(),
              rule.severity() == null ? Severity.MEDIUM : Severity.of(rule.severity()),
              rule.files()));
    }
    return rules;
  }

  private static ReviewAgent agent(AgentSpec spec, Path specDir) {
    String dir = specDir.toAbsolutePath().normalize().toString();
    return CommandReviewAgent.of(spec.id(), spec.command().stream().map(arg -> arg.replace("{specDir}", dir)).toList())
        .withTimeout(Duration.ofSeconds(spec.timeoutSeconds() != null ? spec.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS))
        .withEnv(spec.env());
  }

  private static String statePath(Spec spec, Path specDir, Settings settings) {
    if (settings.statePath() != null && !settings.statePath().isEmpty()) {
      return isUri(settings.statePath())
          ? settings.statePath()
          : Path.of(settings.statePath()).toAbsolutePath().normalize().toString();
    }
    if (spec.state() != null) {
      return isUri(spec.state()) ? spec.state() : specDir.resolve(spec.state()).normalize().toString();
    }
    return OutputFiles.resolve(settings.outputDir(), DEFAULT_STATE_FILE);
  }

  private static boolean isUri(String path) {
    return path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  /** Adds the review's stages to {@code pipeline}; returns every cluster of findings. */
  public PCollection<FindingCluster> expandInto(Pipeline pipeline, String outputDir, String workDir) {
    PCollectionTuple chunked =
        pipeline
            .apply("Files", Create.of(plan.toReview()).withCoder(JsonCoder.of(SourceFile.class)))
            .apply(
                "ChunkFiles",
                ChunkFiles.against(rules).withLines(lines, overlap).withRulesPerCall(rulesPerCall));
    PCollectionTuple reviewed =
        chunked
            .get(ChunkFiles.CHUNKS)
            .apply(
                "CallReviewers",
                CallReviewers.with(reviewers).withGoal(spec.goal()).withWorkDir(workDir));
    PCollectionList.of(reviewed.get(CallReviewers.CALLS))
        .and(chunked.get(ChunkFiles.SKIPPED))
        .apply("AllCalls", Flatten.pCollections())
        .apply("WriteCalls", WriteJsonLines.<ReviewCall>to(outputDir, "calls"));
    PCollection<FindingCluster> clusters =
        reviewed
            .get(CallReviewers.FINDINGS)
            .apply(
                "Consensus",
                ClusterFindings.withQuorum(quorum, reviewers.size())
                    .withSimilarity(TextSimilarity.named(similarity), minSimilarity)
                    .withLineTolerance(lineTolerance));
    if (verifier != null) {
      clusters =
          clusters.apply(
              "Verify",
              VerifyFindings.with(verifier, rules)
                  .reportingFailedVerifications(reportFailedVerifications)
                  .withGoal(spec.goal())
                  .withWorkDir(workDir));
    }
    clusters.apply("WriteResults", WriteJsonLines.<FindingCluster>to(outputDir, "results"));
    return clusters;
  }

  /** Finishes the outputs once the pipeline has ended; see {@link ReviewOutputs#finish}. */
  public ReviewOutputs.Finished finish(String outputDir, String runner, double wallSeconds) throws IOException {
    return ReviewOutputs.finish(
        outputDir,
        new ReviewOutputs.Run(
            spec.name(),
            runner,
            targets.stream().map(ReviewTargets.ReviewTarget::id).toList(),
            rules,
            files,
            plan,
            config,
            statePath,
            wallSeconds));
  }

  public Spec spec() {
    return spec;
  }

  public List<ReviewTargets.ReviewTarget> targets() {
    return targets;
  }

  public List<Rule> rules() {
    return rules;
  }

  public List<CallReviewers.Reviewer> reviewers() {
    return reviewers;
  }

  public Optional<ReviewAgent> verifier() {
    return Optional.ofNullable(verifier);
  }

  public int quorum() {
    return quorum;
  }

  /** Every file in scope now. */
  public List<SourceFile> files() {
    return files;
  }

  public IncrementalPlan plan() {
    return plan;
  }

  public String statePath() {
    return statePath;
  }

  /** Mutable fields while compiling. */
  private static final class Builder {
    Spec spec;
    List<ReviewTargets.ReviewTarget> targets;
    List<Rule> rules;
    List<CallReviewers.Reviewer> reviewers;
    ReviewAgent verifier;
    boolean reportFailedVerifications = true;
    int quorum;
    String similarity;
    double minSimilarity;
    int lineTolerance;
    int lines;
    int overlap;
    int rulesPerCall;
    List<SourceFile> files;
    String config;
    String statePath;
    IncrementalPlan plan;

    /**
     * A hash of everything that decides what the review reports: rules, reviewers (commands,
     * environment, samples), the verifier, consensus and chunking.
     */
    String configHash(Spec spec) {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("rules", rules);
      Map<String, AgentSpec> agents = new TreeMap<>();
      spec.agents().forEach(a -> agents.put(a.id(), a));
      List<Object> reviewerSettings = new ArrayList<>();
      for (ReviewerSpec reviewer : spec.reviewers()) {
        AgentSpec agent = agents.get(reviewer.agent());
        reviewerSettings.add(List.of(agent.id(), agent.command(), new TreeMap<>(agent.env()), reviewer.samples() == null ? 1 : reviewer.samples()));
      }
      settings.put("reviewers", reviewerSettings);
      if (spec.verify() != null) {
        AgentSpec agent = agents.get(spec.verify().agent());
        settings.put("verify", List.of(agent.id(), agent.command(), new TreeMap<>(agent.env()), reportFailedVerifications));
      }
      settings.put("consensus", List.of(quorum, similarity, minSimilarity, lineTolerance));
      settings.put("chunking", List.of(lines, overlap, rulesPerCall));
      settings.put("goal", spec.goal() == null ? "" : spec.goal());
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256").digest(Json.line(settings).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }
  }
}
