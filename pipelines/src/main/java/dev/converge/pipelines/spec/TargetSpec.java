package dev.converge.pipelines.spec;

/**
 * A git repository the job works on.
 *
 * @param id name used in task ids and reports; defaults to the folder name of {@code path}
 * @param path the repository folder, relative to the spec file
 * @param ref the commit-ish every agent starts from; defaults to {@code HEAD}
 */
public record TargetSpec(String id, String path, String ref) {}
