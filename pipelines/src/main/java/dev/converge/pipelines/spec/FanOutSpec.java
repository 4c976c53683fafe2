package dev.converge.pipelines.spec;

/**
 * Creates one task per file of each target that matches {@code glob} at the target's ref. {@code
 * id}, {@code instructions} and {@code test} may use the placeholders {@code {path}} (the file's
 * path in the repository), {@code {name}} (its file name) and {@code {stem}} (its name without
 * extension).
 *
 * @param glob a glob over repository paths, for example {@code src/**\/*.py}
 * @param id the task id template, for example {@code docstring-{stem}}
 * @param instructions the instructions template
 * @param test a test command template for these tasks (optional)
 */
public record FanOutSpec(String glob, String id, String instructions, String test) {}
