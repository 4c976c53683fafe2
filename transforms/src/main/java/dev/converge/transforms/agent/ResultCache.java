package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.report.OutputFiles;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;

/**
 * The on-disk cache of agent answers: one JSON file per {@link CacheKeys key}, at {@code
 * <dir>/<first two hex digits>/<key>.json}, holding the candidate as it was made (patch, status,
 * reason, log, duration, tokens, cost), or a verifier's verdict. Files are written to a temporary name and renamed, so
 * parallel writers and crashed runs never leave a torn entry; an unreadable entry is a miss.
 *
 * <p>What is stored: answers (a change, no change, a command's non-zero exit, an answer without a
 * usable diff). What is not: timeouts, provider errors after all retries, budget refusals and
 * infrastructure errors, so a re-run retries exactly those.
 */
public final class ResultCache {

  /** How a run uses the cache. */
  public enum Mode implements Serializable {
    /** Answer from the cache when possible, store new answers (the default). */
    READ_WRITE,
    /** Call every agent again and store the new answers. */
    REFRESH,
    /** Neither read nor write. */
    OFF;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    public static Mode named(String name) {
      for (Mode mode : values()) {
        if (mode.label().equals(name)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("unknown cache mode '" + name + "' (readwrite, refresh, off)");
    }
  }

  private static final int FORMAT = 1;

  private final Path dir;
  private final Mode mode;
  /** For a cache in an object store (gs://bucket/cache), read and written through Beam's FileSystems. */
  private final String remoteDir;

  public ResultCache(Path dir, Mode mode) {
    this.dir = dir;
    this.mode = mode;
    this.remoteDir = null;
  }

  private ResultCache(String remoteDir, Mode mode) {
    this.dir = null;
    this.mode = mode;
    this.remoteDir = remoteDir.endsWith("/") ? remoteDir.substring(0, remoteDir.length() - 1) : remoteDir;
  }

  /** A cache in a local folder, or behind a URI such as {@code gs://bucket/cache}. */
  public static ResultCache at(String dir, Mode mode) {
    boolean remote = dir.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*") && !dir.startsWith("file://");
    return remote ? new ResultCache(dir, mode) : new ResultCache(Path.of(dir), mode);
  }

  public Mode mode() {
    return mode;
  }

  /** The local folder of the cache; null for a remote cache. */
  public Path dir() {
    return dir;
  }

  /** The candidate stored under {@code key}, marked cached. */
  public Optional<Candidate> lookup(String key) {
    return lookup(key, "candidate", Candidate.class).map(Candidate::asCached);
  }

  /** Stores {@code candidate} (without its test result) under {@code key}. */
  public void store(String key, Candidate candidate) throws IOException {
    store(key, "candidate", candidate.withTest(null));
  }

  /** The verdict stored under {@code key}, as it was stored (the caller marks it cached). */
  public Optional<Verification> lookupVerification(String key) {
    return lookup(key, "verification", Verification.class);
  }

  public void storeVerification(String key, Verification verification) throws IOException {
    store(key, "verification", verification);
  }

  private <T> Optional<T> lookup(String key, String field, Class<T> type) {
    if (mode != Mode.READ_WRITE) {
      return Optional.empty();
    }
    try {
      JsonNode entry;
      if (remoteDir != null) {
        String path = OutputFiles.resolve(remoteDir, relativeFileOf(key));
        if (FileSystems.match(path, EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
          return Optional.empty();
        }
        entry = Json.MAPPER.readTree(OutputFiles.read(path));
      } else {
        Path file = fileOf(key);
        if (!Files.isRegularFile(file)) {
          return Optional.empty();
        }
        entry = Json.MAPPER.readTree(file.toFile());
      }
      if (entry.path("format").asInt() != FORMAT
          || !entry.path("key").asText().equals(key)
          || !entry.has(field)) {
        return Optional.empty();
      }
      return Optional.of(Json.MAPPER.treeToValue(entry.path(field), type));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void store(String key, String field, Object value) throws IOException {
    if (mode == Mode.OFF) {
      return;
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("format", FORMAT);
    entry.put("key", key);
    entry.put(field, value);
    if (remoteDir != null) {
      // Written to a temporary name and renamed, like the local files below.
      OutputFiles.write(OutputFiles.resolve(remoteDir, relativeFileOf(key)), Json.pretty(entry));
      return;
    }
    Path file = fileOf(key);
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling("." + key + "." + UUID.randomUUID() + ".tmp");
    Files.writeString(temp, Json.pretty(entry), StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path fileOf(String key) {
    return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
  }

  private static String relativeFileOf(String key) {
    return key.substring(0, 2) + "/" + key + ".json";
  }
}
