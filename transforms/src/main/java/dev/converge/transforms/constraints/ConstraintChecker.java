package dev.converge.transforms.constraints;

import dev.converge.transforms.constraints.FileChange.AddedLine;
import dev.converge.transforms.model.Drift;
import dev.converge.transforms.model.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one patch against the {@link Constraints} and measures its {@link Drift}. Pure functions
 * of the patch, the task's scope and the rules: the same patch always gets the same verdict.
 */
public final class ConstraintChecker {
  /** Violations reported per rule and candidate; the rest are counted in one last violation. */
  static final int MAX_PER_RULE = 10;

  private static final int MAX_LINE_CHARS = 120;

  private ConstraintChecker() {}

  /** The violations of the {@code constraints.*} rules by a patch with these file changes. */
  public static List<Violation> check(Constraints rules, List<FileChange> files) {
    List<Violation> violations = new ArrayList<>();
    checkPaths(rules, files, violations);
    checkSizes(rules, files, violations);
    checkPatterns(rules, files, violations);
    checkTests(rules, files, violations);
    return violations;
  }

  private static void checkPaths(Constraints rules, List<FileChange> files, List<Violation> out) {
    Limited allowed = new Limited("constraints.allowedPaths", out);
    Limited types = new Limited("constraints.allowedFileTypes", out);
    List<Limited> forbidden = new ArrayList<>();
    for (int i = 0; i < rules.forbiddenPaths().size(); i++) {
      forbidden.add(new Limited("constraints.forbiddenPaths[" + i + "]", out));
    }
    for (String path : touched(files)) {
      if (!rules.allowedPaths().isEmpty()
          && rules.allowedPaths().stream().noneMatch(glob -> Globs.matches(glob, path))) {
        allowed.add(path, "changes " + path + ", which matches none of " + rules.allowedPaths());
      }
      for (int i = 0; i < rules.forbiddenPaths().size(); i++) {
        String glob = rules.forbiddenPaths().get(i);
        if (Globs.matches(glob, path)) {
          forbidden.get(i).add(path, "changes " + path + ", which matches the forbidden path '" + glob + "'");
        }
      }
      if (!rules.allowedFileTypes().isEmpty() && !hasAllowedType(path, rules.allowedFileTypes())) {
        types.add(path, "changes " + path + ", whose type is not one of " + rules.allowedFileTypes());
      }
    }
    allowed.finish();
    forbidden.forEach(Limited::finish);
    types.finish();
  }

  private static void checkSizes(Constraints rules, List<FileChange> files, List<Violation> out) {
    int lines = files.stream().mapToInt(FileChange::changedLines).sum();
    if (rules.maxChangedLines() != null && lines > rules.maxChangedLines()) {
      out.add(
          new Violation(
              "constraints.maxChangedLines",
              "patch",
              "changes " + lines + " lines (added plus removed); at most " + rules.maxChangedLines() + " allowed"));
    }
    int count = touched(files).size();
    if (rules.maxChangedFiles() != null && count > rules.maxChangedFiles()) {
      out.add(
          new Violation(
              "constraints.maxChangedFiles",
              "patch",
              "changes " + count + " files (" + String.join(", ", touched(files)) + "); at most "
                  + rules.maxChangedFiles() + " allowed"));
    }
  }

  private static void checkPatterns(Constraints rules, List<FileChange> files, List<Violation> out) {
    for (int i = 0; i < rules.forbiddenPatterns().size(); i++) {
      String regex = rules.forbiddenPatterns().get(i);
      Pattern pattern = Pattern.compile(regex);
      Limited rule = new Limited("constraints.forbiddenPatterns[" + i + "]", out);
      for (FileChange file : files) {
        for (AddedLine line : file.addedLines()) {
          if (pattern.matcher(line.text()).find()) {
            rule.add(
                file.path() + ":" + line.number(),
                "added line matches the forbidden pattern '" + regex + "': " + shorten(line.text()));
          }
        }
      }
      rule.finish();
    }
    for (int i = 0; i < rules.requiredPatterns().size(); i++) {
      String regex = rules.requiredPatterns().get(i);
      Pattern pattern = Pattern.compile(regex);
      boolean found =
          files.stream()
              .flatMap(f -> f.addedLines().stream())
              .anyMatch(line -> pattern.matcher(line.text()).find());
      if (!found) {
        out.add(
            new Violation(
                "constraints.requiredPatterns[" + i + "]",
                "patch",
                "no added line matches the required pattern '" + regex + "'"));
      }
    }
  }

  private static void checkTests(Constraints rules, List<FileChange> files, List<Violation> out) {
    String glob = rules.requireTestChanges();
    if (glob == null) {
      return;
    }
    boolean testsTouched =
        files.stream().filter(f -> !f.deleted()).anyMatch(f -> Globs.matches(glob, f.path()));
    if (!testsTouched) {
      out.add(
          new Violation(
              "constraints.requireTestChanges",
              "patch",
              "no test file matching '" + glob + "' was added or changed"));
    }
  }

  /**
   * How far a patch strays from its task's scope; {@code medianChangedLines} is the median over the
   * task's candidates.
   */
  public static Drift drift(List<String> scope, List<FileChange> files, double medianChangedLines) {
    List<String> outside = new ArrayList<>();
    List<String> unplanned = new ArrayList<>();
    if (!scope.isEmpty()) {
      for (String path : touched(files)) {
        if (!inScope(scope, path)) {
          outside.add(path);
        }
      }
      for (FileChange file : files) {
        if (file.created() && !inScope(scope, file.path())) {
          unplanned.add(file.path());
        }
      }
    }
    int lines = files.stream().mapToInt(FileChange::changedLines).sum();
    double ratio = medianChangedLines <= 0 ? 1.0 : lines / medianChangedLines;
    return new Drift(outside, unplanned, lines, medianChangedLines, Math.round(ratio * 100) / 100.0);
  }

  /** The violations of the {@code drift.*} thresholds by a measured drift. */
  public static List<Violation> checkDrift(Constraints rules, List<String> scope, Drift drift) {
    List<Violation> out = new ArrayList<>();
    Integer maxOutside = rules.maxFilesOutsideScope();
    if (maxOutside != null && drift.filesOutsideScope().size() > maxOutside) {
      Limited rule = new Limited("drift.maxFilesOutsideScope", out);
      for (String path : drift.filesOutsideScope()) {
        rule.add(
            path,
            "changes " + path + ", outside the task's files " + scope + " ("
                + drift.filesOutsideScope().size() + " outside, at most " + maxOutside + " allowed)");
      }
      rule.finish();
    }
    Integer maxNew = rules.maxNewFiles();
    if (maxNew != null && drift.unplannedNewFiles().size() > maxNew) {
      Limited rule = new Limited("drift.maxNewFiles", out);
      for (String path : drift.unplannedNewFiles()) {
        rule.add(
            path,
            "creates " + path + ", which the task's files " + scope + " do not name ("
                + drift.unplannedNewFiles().size() + " new, at most " + maxNew + " allowed)");
      }
      rule.finish();
    }
    Double maxRatio = rules.maxSizeRatio();
    if (maxRatio != null && drift.sizeRatio() > maxRatio) {
      out.add(
          new Violation(
              "drift.maxSizeRatio",
              "patch",
              String.format(
                  Locale.ROOT,
                  "changes %d lines, %.2f times the median of the task's candidates (%.1f); at most %.2f times allowed",
                  drift.changedLines(),
                  drift.sizeRatio(),
                  drift.medianChangedLines(),
                  maxRatio)));
    }
    return out;
  }

  /** The median of some numbers (0 for none). */
  public static double median(List<Integer> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Integer> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  static boolean inScope(List<String> scope, String path) {
    for (String entry : scope) {
      String normalized = entry.startsWith("./") ? entry.substring(2) : entry;
      if (normalized.equals(path)
          || (Globs.isGlob(normalized) && Globs.matches(normalized, path))
          || (normalized.endsWith("/") && path.startsWith(normalized))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> touched(List<FileChange> files) {
    Set<String> paths = new LinkedHashSet<>();
    files.forEach(f -> paths.addAll(f.touchedPaths()));
    return paths;
  }

  private static boolean hasAllowedType(String path, List<String> types) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : null;
    for (String type : types) {
      String t = type.startsWith(".") ? type.substring(1) : type;
      if (t.equals(name) || (extension != null && t.toLowerCase(Locale.ROOT).equals(extension))) {
        return true;
      }
    }
    return false;
  }

  private static String shorten(String text) {
    String s = text.strip();
    return s.length() > MAX_LINE_CHARS ? s.substring(0, MAX_LINE_CHARS - 1) + "…" : s;
  }

  /** Collects a rule's violations up to {@link #MAX_PER_RULE}, then counts the rest. */
  private static final class Limited {
    private final String rule;
    private final List<Violation> out;
    private int count;

    Limited(String rule, List<Violation> out) {
      this.rule = rule;
      this.out = out;
    }

    void add(String location, String message) {
      if (count++ < MAX_PER_RULE) {
        out.add(new Violation(rule, location, message));
      }
    }

    void finish() {
      if (count > MAX_PER_RULE) {
        out.add(new Violation(rule, "patch", (count - MAX_PER_RULE) + " more violations of this rule"));
      }
    }
  }
}
