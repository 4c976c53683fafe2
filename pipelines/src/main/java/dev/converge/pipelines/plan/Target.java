package dev.converge.pipelines.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * A target repository resolved on the driver: its folder, the exact commit every agent starts from,
 * and the files at that commit (for fan-out).
 *
 * @param id the target id
 * @param repo absolute path of the repository: the user's folder, or Converge's clone of a URL
 * @param commit full commit id of the spec's ref
 * @param files the file paths at that commit that fan-outs consider (all of them, or those that
 *     match the target's {@code paths}), sorted
 * @param test the target's own test command, or null to use the spec's
 * @param local whether {@code repo} is the user's own repository (false for a clone of a URL)
 */
public record Target(
    String id, Path repo, String commit, List<String> files, String test, boolean local) {
  public Target {
    files = List.copyOf(files);
  }

  /** A local target without its own test command. */
  public Target(String id, Path repo, String commit, List<String> files) {
    this(id, repo, commit, files, null, true);
  }
}
