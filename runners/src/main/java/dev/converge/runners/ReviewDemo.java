package dev.converge.runners;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.review.ClusterState;
import dev.converge.transforms.review.FindingCluster;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lays out the offline review demo ({@code specs/examples/security-review.yaml} and its folder:
 * a small service and its policy documents as plain folders, scripted reviewers and a verifier)
 * and scores a run against the planted issues listed in {@code security-review/planted.json}.
 */
final class ReviewDemo {
  /** Where, inside the output folder, the demo's spec and folders are laid out. */
  static final String INPUT_FOLDER = "review-input";

  static final String SPEC_FILE = "security-review.yaml";
  static final String FOLDER = "security-review";
  private static final String EXAMPLES = "specs/examples";
  /** A finding counts as a planted issue when its lines include the planted line. */
  private static final int LINE_TOLERANCE = 0;

  private ReviewDemo() {}

  /** An issue planted in the demo's files. */
  record Planted(String target, String path, String rule, int line, String what) {}

  /** How well a run found the planted issues. */
  record Score(int reported, int truePositives, int planted, int found, double precision, double recall) {
    String describe() {
      return String.format(
          "precision %.2f (%d of %d reported findings are planted issues), recall %.2f (%d of %d planted issues reported)",
          precision, truePositives, reported, recall, found, planted);
    }
  }

  /** The examples folder of the Converge checkout. */
  static Path examples() {
    String home = System.getProperty(Demo.HOME_PROPERTY);
    if (home != null) {
      return Path.of(home, EXAMPLES);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(EXAMPLES).resolve(SPEC_FILE))) {
        return dir.resolve(EXAMPLES);
      }
    }
    throw new IllegalArgumentException(
        "cannot find " + EXAMPLES + "/" + SPEC_FILE + "; run the demo through scripts/converge or set -D" + Demo.HOME_PROPERTY);
  }

  /** Copies the demo's spec and folder to {@code destination}; returns the path of the spec. */
  static Path materialize(Path examples, Path destination) throws IOException {
    if (!Files.isRegularFile(examples.resolve(SPEC_FILE)) || !Files.isDirectory(examples.resolve(FOLDER))) {
      throw new IllegalArgumentException(examples + " does not hold the review demo (" + SPEC_FILE + " and " + FOLDER + "/)");
    }
    Worktrees.delete(destination);
    Files.createDirectories(destination);
    Files.copy(examples.resolve(SPEC_FILE), destination.resolve(SPEC_FILE), StandardCopyOption.REPLACE_EXISTING);
    copyTree(examples.resolve(FOLDER), destination.resolve(FOLDER));
    return destination.resolve(SPEC_FILE);
  }

  static List<Planted> planted(Path specDir) throws IOException {
    return Json.MAPPER.readValue(
        specDir.resolve(FOLDER).resolve("planted.json").toFile(), new TypeReference<List<Planted>>() {});
  }

  /** Scores the reported findings against the planted issues. */
  static Score score(List<FindingCluster> reported, List<Planted> planted) {
    int truePositives = (int) reported.stream().filter(f -> planted.stream().anyMatch(p -> matches(p, f))).count();
    int found = (int) planted.stream().filter(p -> reported.stream().anyMatch(f -> matches(p, f))).count();
    return new Score(
        reported.size(),
        truePositives,
        planted.size(),
        found,
        reported.isEmpty() ? 1.0 : (double) truePositives / reported.size(),
        planted.isEmpty() ? 1.0 : (double) found / planted.size());
  }

  /**
   * What each reviewer alone would have reported (every finding it gave, before consensus and
   * verification), scored the same way: by reviewer id.
   */
  static Map<String, Score> scoreReviewers(List<FindingCluster> clusters, List<Planted> planted) {
    Map<String, List<String[]>> raw = new LinkedHashMap<>();
    for (FindingCluster cluster : clusters) {
      if (cluster.state() == ClusterState.CARRIED || cluster.state() == ClusterState.FIXED) {
        continue; // from an earlier run
      }
      for (FindingCluster.Support s : cluster.support()) {
        raw.computeIfAbsent(s.reviewer(), k -> new ArrayList<>())
            .add(new String[] {cluster.target(), cluster.path(), cluster.rule(), Integer.toString(s.startLine()), Integer.toString(s.endLine())});
      }
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (String reviewer : new TreeSet<>(raw.keySet())) {
      List<String[]> findings = raw.get(reviewer).stream().map(f -> String.join("\u0000", f)).distinct()
          .map(f -> f.split("\u0000")).toList();
      int truePositives = (int) findings.stream().filter(f -> planted.stream().anyMatch(p -> matches(p, f))).count();
      int found = (int) planted.stream().filter(p -> findings.stream().anyMatch(f -> matches(p, f))).count();
      scores.put(
          reviewer,
          new Score(findings.size(), truePositives, planted.size(), found,
              findings.isEmpty() ? 1.0 : (double) truePositives / findings.size(),
              planted.isEmpty() ? 1.0 : (double) found / planted.size()));
    }
    return scores;
  }

  private static boolean matches(Planted p, FindingCluster f) {
    return matches(p, new String[] {f.target(), f.path(), f.rule(), Integer.toString(f.startLine()), Integer.toString(f.endLine())});
  }

  private static boolean matches(Planted p, String[] f) {
    return p.target().equals(f[0])
        && p.path().equals(f[1])
        && p.rule().equals(f[2])
        && p.line() >= Integer.parseInt(f[3]) - LINE_TOLERANCE
        && p.line() <= Integer.parseInt(f[4]) + LINE_TOLERANCE;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (dir.getFileName().toString().equals("__pycache__")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
