package dev.converge.pipelines.plan;

import dev.converge.transforms.agent.ResultCache;
import dev.converge.transforms.report.OutputFiles;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the validated answers of a planner agent are kept, so that a re-run of the same spec does
 * not call the planner again: {@code <dir>/plans/<key>.json} in the job's agent-call cache folder
 * (a local folder or a URI such as {@code gs://bucket/cache}), used as {@code mode} says, like the
 * answers of implementing agents.
 *
 * @param dir the cache folder ({@code ""} with mode {@code OFF})
 * @param mode {@code readwrite}, {@code refresh} (always ask, store the answer) or {@code off}
 */
public record PlanCache(String dir, ResultCache.Mode mode) {
  /** No cache: the planner is asked every time. */
  public static final PlanCache OFF = new PlanCache("", ResultCache.Mode.OFF);

  /** The subfolder of the cache folder; agent answers use two-hex-digit subfolders beside it. */
  static final String FOLDER = "plans";

  public PlanCache {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(mode, "mode");
  }

  /** The plan stored under {@code key}; empty when there is none or the mode does not read. */
  public Optional<String> lookup(String key) {
    if (mode != ResultCache.Mode.READ_WRITE) {
      return Optional.empty();
    }
    try {
      return Optional.of(OutputFiles.read(fileOf(key)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Stores {@code plan} under {@code key} unless the mode is {@code off}. */
  public void store(String key, String plan) throws IOException {
    if (mode != ResultCache.Mode.OFF) {
      OutputFiles.write(fileOf(key), plan);
    }
  }

  String fileOf(String key) {
    return OutputFiles.resolve(OutputFiles.resolve(dir, FOLDER), key + ".json");
  }
}
