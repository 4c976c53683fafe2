package dev.converge.transforms.constraints;

import java.io.Serializable;
import java.util.List;

/**
 * The rules every candidate of a job must follow, checked by {@link CheckConstraints} before a
 * candidate is tested. Every field is optional (null or empty: no rule). Rules are named in
 * violations by the field of the spec that states them ({@code constraints.<field>} and {@code
 * drift.<field>}).
 *
 * @param allowedPaths globs; every changed path must match one of them
 * @param forbiddenPaths globs; no changed path may match any of them
 * @param maxChangedLines the most added plus removed lines of a patch
 * @param maxChangedFiles the most files a patch may touch
 * @param forbiddenPatterns regular expressions no added line may contain
 * @param requiredPatterns regular expressions that must each be found in at least one added line
 * @param requireTestChanges a glob of test paths; at least one added or changed file must match
 * @param allowedFileTypes file extensions ({@code py} or {@code .py}) or exact file names ({@code
 *     Makefile}); every changed file must have one of them
 * @param maxFilesOutsideScope the most changed files outside the task's {@code files}
 * @param maxNewFiles the most new files the task's {@code files} do not name
 * @param maxSizeRatio the most changed lines of a candidate, as a multiple of the median over the
 *     task's candidates
 */
public record Constraints(
    List<String> allowedPaths,
    List<String> forbiddenPaths,
    Integer maxChangedLines,
    Integer maxChangedFiles,
    List<String> forbiddenPatterns,
    List<String> requiredPatterns,
    String requireTestChanges,
    List<String> allowedFileTypes,
    Integer maxFilesOutsideScope,
    Integer maxNewFiles,
    Double maxSizeRatio)
    implements Serializable {

  /** No rules: candidates are only measured for drift. */
  public static final Constraints NONE =
      new Constraints(null, null, null, null, null, null, null, null, null, null, null);

  public Constraints {
    allowedPaths = copy(allowedPaths);
    forbiddenPaths = copy(forbiddenPaths);
    forbiddenPatterns = copy(forbiddenPatterns);
    requiredPatterns = copy(requiredPatterns);
    allowedFileTypes = copy(allowedFileTypes);
    for (String glob : concat(allowedPaths, forbiddenPaths)) {
      Globs.compile(glob);
    }
    if (requireTestChanges != null) {
      Globs.compile(requireTestChanges);
    }
    for (String regex : concat(forbiddenPatterns, requiredPatterns)) {
      java.util.regex.Pattern.compile(regex);
    }
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
