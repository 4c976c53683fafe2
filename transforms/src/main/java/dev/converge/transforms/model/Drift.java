package dev.converge.transforms.model;

import java.util.List;

/**
 * How far a candidate strays from its task's plan.
 *
 * @param filesOutsideScope changed files that are not in the task's {@code files} (empty when the
 *     task names no files: a task without a scope cannot be strayed from)
 * @param unplannedNewFiles files the candidate creates that the task's {@code files} do not name
 * @param changedLines added plus removed lines of the candidate's patch
 * @param medianChangedLines the median of {@code changedLines} over the task's candidates that made
 *     a change
 * @param sizeRatio {@code changedLines / medianChangedLines} (1 when the median is 0)
 */
public record Drift(
    List<String> filesOutsideScope,
    List<String> unplannedNewFiles,
    int changedLines,
    double medianChangedLines,
    double sizeRatio) {
  public Drift {
    filesOutsideScope = filesOutsideScope == null ? List.of() : List.copyOf(filesOutsideScope);
    unplannedNewFiles = unplannedNewFiles == null ? List.of() : List.copyOf(unplannedNewFiles);
  }

  /** Whether the candidate stayed inside its task's scope and created no unplanned file. */
  public boolean inScope() {
    return filesOutsideScope.isEmpty() && unplannedNewFiles.isEmpty();
  }
}
