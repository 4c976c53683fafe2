package dev.converge.pipelines.spec;

/**
 * Thresholds that turn drift into rejection. Drift (how far a candidate strays from its task's
 * plan) is always measured and written to {@code results.jsonl}; a candidate over a threshold is
 * rejected before it is tested. Every field is optional.
 *
 * @param maxFilesOutsideScope the most changed files outside the task's {@code files} (tasks
 *     without {@code files} have no scope and never drift by files)
 * @param maxNewFiles the most new files that the task's {@code files} do not name
 * @param maxSizeRatio the most changed lines of a candidate as a multiple of the median of the
 *     task's candidates (for example 3: three times the usual size)
 */
public record DriftSpec(Integer maxFilesOutsideScope, Integer maxNewFiles, Double maxSizeRatio) {}
