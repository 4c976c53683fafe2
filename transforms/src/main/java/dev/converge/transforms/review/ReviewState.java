package dev.converge.transforms.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.report.OutputFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;

/**
 * What a review remembers between runs, in one JSON file at a local path or any Beam FileSystems
 * path ({@code gs://...}): the hash of every file in scope and the findings reported in it.
 *
 * @param version the format version, {@value #VERSION}
 * @param spec the name of the spec that wrote it
 * @param config a hash of everything that decides what a review reports (rules, reviewers,
 *     consensus, verification, chunking): when it changes, every file is reviewed again
 * @param files by file key ({@code target/path}): its state
 */
public record ReviewState(int version, String spec, String config, Map<String, FileState> files) {
  public static final int VERSION = 1;

  /**
   * One file's state.
   *
   * @param hash the hash of the content that was reviewed
   * @param complete whether every reviewer call for it worked; an incomplete file is reviewed again
   *     even when it has not changed
   * @param findings the findings reported in it
   */
  public record FileState(String hash, boolean complete, List<FindingCluster> findings) {
    public FileState {
      findings = findings == null ? List.of() : List.copyOf(findings);
    }
  }

  public ReviewState {
    files = files == null ? Map.of() : new TreeMap<>(files);
  }

  /** The state at {@code path}, or empty when there is none yet. */
  public static Optional<ReviewState> read(String path) throws IOException {
    if (FileSystems.match(path, EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
      return Optional.empty();
    }
    String text = OutputFiles.read(path);
    ReviewState state;
    try {
      state = Json.MAPPER.readValue(text, ReviewState.class);
    } catch (JsonProcessingException e) {
      throw new IOException("the review state " + path + " is not valid: " + e.getOriginalMessage(), e);
    }
    if (state.version() != VERSION) {
      throw new IOException(
          "the review state " + path + " has version " + state.version() + "; this Converge reads version " + VERSION);
    }
    return Optional.of(state);
  }

  public void write(String path) throws IOException {
    OutputFiles.write(path, Json.pretty(this));
  }
}
