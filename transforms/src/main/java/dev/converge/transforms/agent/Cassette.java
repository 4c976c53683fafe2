package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A recording of live agent calls ({@code --record FILE}), one JSON object per line, which a {@code
 * replay} agent answers from. A line holds the agent id, kind and model, the task id, the sample,
 * a hash of the task's inputs ({@link CacheKeys#inputs}) and either the model's reply (text and
 * token counts) or, for command agents, the candidate (patch, status, reason, log). Requests,
 * headers and keys are not recorded.
 */
public final class Cassette {

  /**
   * One recorded call.
   *
   * @param agent the agent id
   * @param kind the agent kind
   * @param model the model ({@code ""} for command agents)
   * @param task the task id
   * @param sample the sample index
   * @param inputs hash of the task's inputs when it was recorded
   * @param reply the model's reply (model agents), or null
   * @param candidate the candidate (command agents), or null
   * @param durationMs how long the call took
   */
  public record Entry(
      String agent,
      String kind,
      String model,
      String task,
      int sample,
      String inputs,
      ModelReply reply,
      Candidate candidate,
      long durationMs) {}

  private static final Map<String, Recorder> RECORDERS = new ConcurrentHashMap<>();
  private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

  private Cassette() {}

  /**
   * The recorder of {@code file} for the run {@code runId}: the first one of a run empties the
   * file, then every call appends one line (thread safe).
   */
  public static Recorder recorder(String runId, Path file) {
    return RECORDERS.computeIfAbsent(runId + "\u0000" + file.toAbsolutePath(), k -> new Recorder(file));
  }

  /** The entries of {@code file} by agent, task and sample (read once per version of the file). */
  public static Map<String, Entry> load(Path file) throws IOException {
    long modified = Files.getLastModifiedTime(file).toMillis();
    long size = Files.size(file);
    String path = file.toAbsolutePath().toString();
    Loaded known = LOADED.get(path);
    if (known != null && known.modified == modified && known.size == size) {
      return known.entries;
    }
    Map<String, Entry> entries = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (!line.isBlank()) {
        Entry entry = Json.MAPPER.readValue(line, Entry.class);
        entries.put(lookupKey(entry.agent(), entry.task(), entry.sample()), entry);
      }
    }
    Map<String, Entry> frozen = Map.copyOf(entries);
    LOADED.put(path, new Loaded(modified, size, frozen));
    return frozen;
  }

  public static String lookupKey(String agent, String task, int sample) {
    return agent + "\u0000" + task + "\u0000" + sample;
  }

  private record Loaded(long modified, long size, Map<String, Entry> entries) {}

  /** Appends entries to one cassette file. */
  public static final class Recorder {
    private final Path file;

    private Recorder(Path file) {
      this.file = file;
      try {
        if (file.getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, "", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the cassette " + file + ": " + e.getMessage(), e);
      }
    }

    public synchronized void record(Entry entry) throws IOException {
      Files.writeString(
          file, Json.line(entry) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
  }
}
