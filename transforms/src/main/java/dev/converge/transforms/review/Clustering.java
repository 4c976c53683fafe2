package dev.converge.transforms.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Clusters the findings of one rule in one file and applies the quorum: two findings may be in the
 * same cluster when their line ranges overlap (or lie within {@code lineTolerance} lines of each
 * other) and their messages are at least {@code minSimilarity} alike, and one cluster never holds
 * two different findings of the same reviewer call. A cluster reaches the quorum when at least {@code quorum} distinct
 * reviewer agents are in it: samples of one agent count once, so the quorum measures agreement
 * between different reviewers (ideally different models), not repetition.
 */
public final class Clustering {
  /** Orders findings so that clustering and the choice of representatives are deterministic. */
  static final Comparator<Finding> ORDER =
      Comparator.comparingInt(Finding::startLine)
          .thenComparingInt(Finding::endLine)
          .thenComparing(Finding::reviewer)
          .thenComparingInt(Finding::sample)
          .thenComparing(Finding::message);

  private Clustering() {}

  /**
   * The clusters of {@code findings} (all of one file and rule), each sorted, in line order.
   *
   * <p>Candidate pairs (overlapping lines, similar messages) are joined strongest first (most
   * overlapping lines, then most similar messages), and a join is refused when it would put two
   * different findings of one reviewer call in one cluster: a reviewer that reports two findings
   * says they are two issues, so a noisy reviewer's neighbouring findings cannot chain unrelated
   * lines into one cluster. Exact duplicates of one call (the same finding seen in two overlapping
   * chunks) do join.
   */
  public static List<List<Finding>> cluster(
      List<Finding> findings, TextSimilarity similarity, double minSimilarity, int lineTolerance) {
    List<Finding> sorted = findings.stream().sorted(ORDER).toList();
    int n = sorted.size();
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        Finding a = sorted.get(i);
        Finding b = sorted.get(j);
        if (b.startLine() > a.endLine() + lineTolerance) {
          break; // sorted by start line: no later finding overlaps a
        }
        if (sameCall(a, b) && !a.equals(b)) {
          continue;
        }
        double alike = similarity.similarity(a.message(), b.message());
        if (alike >= minSimilarity) {
          int overlap = Math.min(a.endLine(), b.endLine()) - Math.max(a.startLine(), b.startLine());
          pairs.add(new double[] {overlap, alike, i, j});
        }
      }
    }
    pairs.sort(
        Comparator.<double[]>comparingDouble(p -> -p[0])
            .thenComparingDouble(p -> -p[1])
            .thenComparingDouble(p -> p[2])
            .thenComparingDouble(p -> p[3]));
    int[] parent = new int[n];
    List<List<Finding>> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      members.add(new ArrayList<>(List.of(sorted.get(i))));
    }
    for (double[] pair : pairs) {
      int a = find(parent, (int) pair[2]);
      int b = find(parent, (int) pair[3]);
      if (a == b || conflicting(members.get(a), members.get(b))) {
        continue;
      }
      int root = Math.min(a, b);
      int other = Math.max(a, b);
      parent[other] = root;
      members.get(root).addAll(members.get(other));
      members.set(other, List.of());
    }
    List<List<Finding>> clusters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (find(parent, i) == i) {
        List<Finding> cluster = new ArrayList<>(members.get(i));
        cluster.sort(ORDER);
        clusters.add(cluster);
      }
    }
    clusters.sort(Comparator.comparing((List<Finding> c) -> c.get(0), ORDER));
    return clusters;
  }

  private static boolean sameCall(Finding a, Finding b) {
    return a.reviewer().equals(b.reviewer()) && a.sample() == b.sample();
  }

  /** Whether two clusters hold different findings of one reviewer call. */
  private static boolean conflicting(List<Finding> a, List<Finding> b) {
    for (Finding x : a) {
      for (Finding y : b) {
        if (sameCall(x, y) && !x.equals(y)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /**
   * A cluster of findings with its quorum decision: {@code accepted} when at least {@code quorum}
   * of the {@code reviewerCount} reviewers reported it, {@code no-quorum} otherwise.
   */
  public static FindingCluster decide(List<Finding> members, int quorum, int reviewerCount) {
    Finding representative = representative(members);
    List<String> reviewers =
        new ArrayList<>(members.stream().map(Finding::reviewer).collect(Collectors.toCollection(TreeSet::new)));
    List<FindingCluster.Support> support =
        members.stream()
            .sorted(ORDER)
            .map(f -> new FindingCluster.Support(f.reviewer(), f.sample(), f.startLine(), f.endLine(), f.message()))
            .distinct()
            .toList();
    boolean agreed = reviewers.size() >= quorum;
    String who = " (" + String.join(", ", reviewers) + "); quorum " + quorum;
    String reason =
        agreed
            ? reviewers.size() + " of " + reviewerCount + " reviewers reported it" + who
            : "only " + reviewers.size() + " of " + reviewerCount + " reviewers reported it" + who;
    return new FindingCluster(
        representative.target(),
        representative.path(),
        representative.rule(),
        representative.severity(),
        representative.startLine(),
        representative.endLine(),
        representative.message(),
        reviewers,
        support,
        representative.snippet(),
        representative.context(),
        representative.contextStartLine(),
        lineHash(representative.target(), representative.path(), representative.rule(), representative.snippet()),
        agreed ? ClusterState.ACCEPTED : ClusterState.NO_QUORUM,
        reason,
        null,
        "",
        false);
  }

  /**
   * The finding that speaks for a cluster: one with the line range most of its reviewers gave
   * (ties: the earliest range) and, among those, the message that shares the most words with the
   * other messages of the cluster (a generic or odd wording loses to the specific one the others
   * support); ties go to the first reviewer in id order.
   */
  static Finding representative(List<Finding> members) {
    Map<String, TreeSet<String>> reviewersByRange = new TreeMap<>();
    for (Finding f : members) {
      reviewersByRange.computeIfAbsent(range(f), k -> new TreeSet<>()).add(f.reviewer());
    }
    Map<Finding, Integer> shared = new HashMap<>();
    for (Finding f : members) {
      Set<String> words = TextSimilarity.Similarities.words(f.message());
      int sum = 0;
      for (Finding other : members) {
        if (!other.reviewer().equals(f.reviewer())) {
          Set<String> common = new HashSet<>(words);
          common.retainAll(TextSimilarity.Similarities.words(other.message()));
          sum += common.size();
        }
      }
      shared.put(f, sum);
    }
    return members.stream()
        .sorted(
            Comparator.<Finding>comparingInt(f -> -reviewersByRange.get(range(f)).size())
                .thenComparingInt(Finding::startLine)
                .thenComparingInt(Finding::endLine)
                .thenComparingInt(f -> -shared.get(f))
                .thenComparing(ORDER))
        .findFirst()
        .orElseThrow();
  }

  private static String range(Finding f) {
    return String.format("%010d-%010d", f.startLine(), f.endLine());
  }

  /**
   * A hash of where a finding is that survives lines moving: the target, the file, the rule and
   * the flagged text with runs of whitespace collapsed.
   */
  public static String lineHash(String target, String path, String rule, String snippet) {
    String normalized =
        snippet.lines().map(line -> line.strip().replaceAll("\\s+", " ")).collect(Collectors.joining("\n"));
    String key = target + "\u0000" + path + "\u0000" + rule + "\u0000" + normalized;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
