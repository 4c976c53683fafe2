package dev.converge.pipelines.spec;

import java.util.List;

/**
 * One or many git repositories the job works on. Exactly one of {@code path}, {@code url}, {@code
 * list} and {@code glob} says where they are.
 *
 * @param id name used in task ids and reports; defaults to the folder name of {@code path} or the
 *     last part of {@code url} (without {@code .git}). Targets from {@code list} or {@code glob}
 *     are named after their folders and take no {@code id}.
 * @param path a repository folder, relative to the spec file
 * @param url a git URL ({@code file://}, {@code https://}, ...) that Converge clones into its work
 *     area; the repository behind it is never changed
 * @param list a text file, relative to the spec file, with one repository per line: a folder
 *     (relative to the list file) or a git URL, optionally followed by a ref; {@code #} starts a
 *     comment
 * @param glob a glob of repository folders relative to the spec file, like {@code repos/*}
 * @param ref the commit-ish every agent starts from; defaults to {@code HEAD}
 * @param test a test command for the tasks of these repositories, replacing {@code test.command}
 *     (a task's own {@code test} still wins); also the command that checks their combined change
 * @param paths globs of repository paths that fan-outs ({@code forEachFile}) consider in these
 *     repositories (default: every file)
 */
public record TargetSpec(
    String id,
    String path,
    String url,
    String list,
    String glob,
    String ref,
    String test,
    List<String> paths) {
  public TargetSpec {
    paths = paths == null ? List.of() : List.copyOf(paths);
  }

  /** A local repository folder. */
  public TargetSpec(String id, String path, String ref) {
    this(id, path, null, null, null, ref, null, null);
  }

  /** This target with {@code newId} as its id. */
  public TargetSpec withId(String newId) {
    return new TargetSpec(newId, path, url, list, glob, ref, test, paths);
  }
}
