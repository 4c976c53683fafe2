package dev.converge.transforms.review;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.report.OutputFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;

/**
 * Finishes a review job's outputs once the pipeline has ended, on the driver: adds the findings
 * carried forward from unchanged files and the fixed ones, gives every reported finding its
 * fingerprint and says whether it is new, then writes the sorted {@code results.jsonl} and {@code
 * calls.jsonl}, {@code findings.jsonl}, {@code findings.sarif}, {@code summary.json}, {@code
 * board.html} and the next review state.
 */
public final class ReviewOutputs {
  public static final String RESULTS_FILE = "results.jsonl";
  public static final String CALLS_FILE = "calls.jsonl";
  public static final String FINDINGS_FILE = "findings.jsonl";
  public static final String SUMMARY_FILE = "summary.json";
  public static final String BOARD_FILE = "board.html";

  /** Orders clusters in every output: by file, line, rule, then state. */
  static final Comparator<FindingCluster> ORDER =
      Comparator.comparing(FindingCluster::target)
          .thenComparing(FindingCluster::path)
          .thenComparingInt(FindingCluster::startLine)
          .thenComparingInt(FindingCluster::endLine)
          .thenComparing(FindingCluster::rule)
          .thenComparing(c -> c.state().label())
          .thenComparing(FindingCluster::message);

  private static final Comparator<ReviewCall> CALL_ORDER =
      Comparator.comparing(ReviewCall::target)
          .thenComparing(ReviewCall::path)
          .thenComparingInt(ReviewCall::chunkStart)
          .thenComparing(c -> String.join(",", c.rules()))
          .thenComparing(ReviewCall::reviewer)
          .thenComparingInt(ReviewCall::sample);

  private ReviewOutputs() {}

  /**
   * What the finishing step needs to know about the run.
   *
   * @param spec the spec's name
   * @param runner the runner profile
   * @param targets the target ids, in spec order
   * @param rules the rules
   * @param files every file in scope now
   * @param plan which files were reviewed
   * @param config the configuration hash (see {@link ReviewState#config()})
   * @param statePath where to write the next state
   * @param wallSeconds the job's wall time
   */
  public record Run(
      String spec,
      String runner,
      List<String> targets,
      List<Rule> rules,
      List<SourceFile> files,
      IncrementalPlan plan,
      String config,
      String statePath,
      double wallSeconds) {}

  /** The finished job: its summary, every cluster sorted, every call sorted. */
  public record Finished(ReviewSummary summary, List<FindingCluster> clusters, List<ReviewCall> calls) {
    public List<FindingCluster> reported() {
      return clusters.stream().filter(FindingCluster::reported).toList();
    }
  }

  public static Finished finish(String outputDir, Run run) throws IOException {
    List<FindingCluster> fresh = readLines(outputDir, RESULTS_FILE, FindingCluster.class);
    List<ReviewCall> calls = readLines(outputDir, CALLS_FILE, ReviewCall.class);
    calls.sort(CALL_ORDER);
    ReviewState previous = run.plan().previous().orElse(null);

    List<FindingCluster> clusters = new ArrayList<>(fresh);
    for (SourceFile file : run.plan().unchanged()) {
      for (FindingCluster before : previous.files().get(file.key()).findings()) {
        clusters.add(before.withState(ClusterState.CARRIED, carriedReason(before)));
      }
    }
    clusters = withFingerprints(clusters, previous);
    clusters.addAll(fixed(run, previous, clusters));
    clusters.sort(ORDER);
    List<FindingCluster> reported = clusters.stream().filter(FindingCluster::reported).toList();

    OutputFiles.write(OutputFiles.resolve(outputDir, RESULTS_FILE), jsonLines(clusters));
    OutputFiles.write(OutputFiles.resolve(outputDir, CALLS_FILE), jsonLines(calls));
    OutputFiles.write(OutputFiles.resolve(outputDir, FINDINGS_FILE), jsonLines(reported));
    Sarif.Written sarif = Sarif.write(outputDir, run.spec(), run.targets(), run.rules(), reported);
    ReviewSummary summary = summary(run, fresh, clusters, calls, sarif);
    OutputFiles.write(OutputFiles.resolve(outputDir, SUMMARY_FILE), Json.pretty(summary));
    Finished finished = new Finished(summary, clusters, calls);
    OutputFiles.write(OutputFiles.resolve(outputDir, BOARD_FILE), ReviewBoardPage.render(finished));
    nextState(run, reported, calls).write(run.statePath());
    return finished;
  }

  private static String carriedReason(FindingCluster before) {
    String origin =
        before.state() == ClusterState.CARRIED ? before.reason() : before.state().label() + " by an earlier run";
    return origin.startsWith("unchanged since") ? origin : "unchanged since it was " + origin;
  }

  /**
   * Sets the fingerprint of every reported cluster ({@code lineHash:n}, n counting equal line
   * hashes in line order) and whether it is new: not among the previous run's fingerprints.
   */
  static List<FindingCluster> withFingerprints(List<FindingCluster> clusters, ReviewState previous) {
    Set<String> known = new HashSet<>();
    if (previous != null) {
      previous.files().values().forEach(f -> f.findings().forEach(c -> known.add(c.fingerprint())));
    }
    List<FindingCluster> sorted = new ArrayList<>(clusters);
    sorted.sort(ORDER);
    Map<String, Integer> occurrences = new HashMap<>();
    List<FindingCluster> out = new ArrayList<>();
    for (FindingCluster cluster : sorted) {
      if (!cluster.reported()) {
        out.add(cluster.withFingerprint("", false));
        continue;
      }
      int n = occurrences.merge(cluster.lineHash(), 1, Integer::sum);
      String fingerprint = cluster.lineHash() + ":" + n;
      boolean isNew = cluster.state() != ClusterState.CARRIED && !known.contains(fingerprint);
      out.add(cluster.withFingerprint(fingerprint, isNew));
    }
    return out;
  }

  /** The previous run's findings that are gone: in deleted files, or not reported again. */
  private static List<FindingCluster> fixed(Run run, ReviewState previous, List<FindingCluster> clusters) {
    if (previous == null) {
      return List.of();
    }
    List<FindingCluster> fixed = new ArrayList<>();
    for (String key : run.plan().deleted()) {
      for (FindingCluster before : previous.files().get(key).findings()) {
        fixed.add(before.withState(ClusterState.FIXED, "the file is gone (deleted or out of scope)").withFingerprint(before.fingerprint(), false));
      }
    }
    Set<String> reportedNow =
        clusters.stream().filter(FindingCluster::reported).map(FindingCluster::fingerprint).collect(Collectors.toSet());
    for (SourceFile file : run.plan().toReview()) {
      ReviewState.FileState before = previous.files().get(file.key());
      if (before == null) {
        continue;
      }
      for (FindingCluster old : before.findings()) {
        if (!reportedNow.contains(old.fingerprint())) {
          fixed.add(
              old.withState(ClusterState.FIXED, "not reported again when the changed file was reviewed")
                  .withFingerprint(old.fingerprint(), false));
        }
      }
    }
    return fixed;
  }

  private static ReviewSummary summary(
      Run run, List<FindingCluster> fresh, List<FindingCluster> clusters, List<ReviewCall> calls, Sarif.Written sarif) {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (ClusterState state : ClusterState.values()) {
      states.put(state.label(), 0);
    }
    clusters.forEach(c -> states.merge(c.state().label(), 1, Integer::sum));
    Map<String, Integer> bySeverity = severityCounts();
    Map<String, Integer> newBySeverity = severityCounts();
    int newFindings = 0;
    for (FindingCluster cluster : clusters) {
      if (cluster.reported()) {
        bySeverity.merge(cluster.severity().label(), 1, Integer::sum);
        if (cluster.newFinding()) {
          newBySeverity.merge(cluster.severity().label(), 1, Integer::sum);
          newFindings++;
        }
      }
    }
    List<ReviewCall> agentCalls = calls.stream().filter(ReviewCall::agentCall).toList();
    List<Verdict> verdicts = fresh.stream().map(FindingCluster::verdict).filter(v -> v != null).toList();
    long chunks =
        agentCalls.stream().map(c -> c.fileKey() + ":" + c.chunkStart() + "-" + c.chunkEnd() + c.rules()).distinct().count();
    return new ReviewSummary(
        run.spec(),
        ReviewSummary.KIND,
        run.runner(),
        run.files().size(),
        run.plan().toReview().size(),
        run.plan().unchanged().size(),
        run.plan().deleted().size(),
        (int) calls.stream().filter(c -> !c.agentCall()).map(ReviewCall::fileKey).distinct().count(),
        (int) chunks,
        agentCalls.size(),
        (int) agentCalls.stream().filter(ReviewCall::failed).count(),
        verdicts.size(),
        (int) verdicts.stream().filter(v -> Verdict.FAILED.equals(v.status())).count(),
        (int) clusters.stream().filter(FindingCluster::reported).count(),
        bySeverity,
        newFindings,
        newBySeverity,
        states.get(ClusterState.FIXED.label()),
        states,
        run.plan().hasPrevious(),
        run.plan().why(),
        sarif.files(),
        sarif.runs(),
        Math.round(run.wallSeconds() * 1000) / 1000.0);
  }

  private static Map<String, Integer> severityCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Severity severity : Severity.values()) {
      counts.put(severity.label(), 0);
    }
    return counts;
  }

  /** The next state: every file in scope with its hash and reported findings. */
  private static ReviewState nextState(Run run, List<FindingCluster> reported, List<ReviewCall> calls) {
    Set<String> incomplete = calls.stream().filter(ReviewCall::failed).map(ReviewCall::fileKey).collect(Collectors.toSet());
    Map<String, List<FindingCluster>> byFile = new HashMap<>();
    reported.forEach(c -> byFile.computeIfAbsent(c.fileKey(), k -> new ArrayList<>()).add(c));
    Set<String> unchanged = run.plan().unchanged().stream().map(SourceFile::key).collect(Collectors.toSet());
    ReviewState previous = run.plan().previous().orElse(null);
    Map<String, ReviewState.FileState> files = new TreeMap<>();
    for (SourceFile file : run.files()) {
      boolean complete =
          unchanged.contains(file.key())
              ? previous.files().get(file.key()).complete()
              : !incomplete.contains(file.key());
      files.put(file.key(), new ReviewState.FileState(file.hash(), complete, byFile.getOrDefault(file.key(), List.of())));
    }
    return new ReviewState(ReviewState.VERSION, run.spec(), run.config(), files);
  }

  /** Whether {@code outputDir} holds the outputs of a review job (its summary says so). */
  public static boolean isReviewOutput(String outputDir) throws IOException {
    String path = OutputFiles.resolve(outputDir, SUMMARY_FILE);
    if (FileSystems.match(path, EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
      return false;
    }
    return ReviewSummary.KIND.equals(Json.MAPPER.readTree(OutputFiles.read(path)).path("kind").asText());
  }

  /** Rewrites {@code board.html} of a finished review from its output folder; returns its path. */
  public static String rewriteBoard(String outputDir) throws IOException {
    ReviewSummary summary =
        Json.MAPPER.readValue(OutputFiles.read(OutputFiles.resolve(outputDir, SUMMARY_FILE)), ReviewSummary.class);
    List<FindingCluster> clusters = readLines(outputDir, RESULTS_FILE, FindingCluster.class);
    List<ReviewCall> calls = readLines(outputDir, CALLS_FILE, ReviewCall.class);
    String path = OutputFiles.resolve(outputDir, BOARD_FILE);
    OutputFiles.write(path, ReviewBoardPage.render(new Finished(summary, clusters, calls)));
    return path;
  }

  /** Reads a JSON-lines file of the output folder; empty when it does not exist. */
  public static <T> List<T> readLines(String outputDir, String name, Class<T> type) throws IOException {
    String path = OutputFiles.resolve(outputDir, name);
    List<T> values = new ArrayList<>();
    if (FileSystems.match(path, EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
      return values;
    }
    for (String line : OutputFiles.read(path).split("\n")) {
      if (!line.isBlank()) {
        values.add(Json.MAPPER.readValue(line, type));
      }
    }
    return values;
  }

  private static String jsonLines(List<?> values) {
    return values.stream().map(Json::line).map(line -> line + "\n").collect(Collectors.joining());
  }
}
