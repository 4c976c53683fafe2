package dev.converge.pipelines.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * A target repository resolved on the driver: its folder, the exact commit every agent starts from,
 * and the files at that commit (for fan-out).
 *
 * @param id the target id
 * @param repo absolute path of the repository
 * @param commit full commit id of the spec's ref
 * @param files every file path at that commit, sorted
 */
public record Target(String id, Path repo, String commit, List<String> files) {
  public Target {
    files = List.copyOf(files);
  }
}
