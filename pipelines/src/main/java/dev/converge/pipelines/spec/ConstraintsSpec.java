package dev.converge.pipelines.spec;

import java.util.List;

/**
 * Rules every candidate must follow, checked by Converge on the candidate's patch before it is
 * tested; a candidate that breaks one is rejected with the rule and the place ({@code file:line}).
 * Every field is optional.
 *
 * @param allowedPaths globs; every changed path must match one
 * @param forbiddenPaths globs; no changed path may match any
 * @param maxChangedLines the most added plus removed lines of a candidate
 * @param maxChangedFiles the most files a candidate may touch
 * @param forbiddenPatterns regular expressions that no added line may contain
 * @param requiredPatterns regular expressions that must each be found in some added line
 * @param requireTestChanges a glob of test paths; at least one added or changed file must match
 *     ("tests must be added or changed")
 * @param allowedFileTypes file extensions ({@code py}, {@code .md}) or file names ({@code
 *     Makefile}); every changed file must have one
 */
public record ConstraintsSpec(
    List<String> allowedPaths,
    List<String> forbiddenPaths,
    Integer maxChangedLines,
    Integer maxChangedFiles,
    List<String> forbiddenPatterns,
    List<String> requiredPatterns,
    String requireTestChanges,
    List<String> allowedFileTypes) {
  public ConstraintsSpec {
    allowedPaths = allowedPaths == null ? List.of() : List.copyOf(allowedPaths);
    forbiddenPaths = forbiddenPaths == null ? List.of() : List.copyOf(forbiddenPaths);
    forbiddenPatterns = forbiddenPatterns == null ? List.of() : List.copyOf(forbiddenPatterns);
    requiredPatterns = requiredPatterns == null ? List.of() : List.copyOf(requiredPatterns);
    allowedFileTypes = allowedFileTypes == null ? List.of() : List.copyOf(allowedFileTypes);
  }
}
