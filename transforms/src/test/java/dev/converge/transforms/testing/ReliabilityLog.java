package dev.converge.transforms.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one hardening test, written to {@code target/reliability/<name>.json} of the
 * module once the test's assertions passed, for {@code scripts/reliability-report} to collect
 * into {@code docs/RELIABILITY.md}.
 */
public final class ReliabilityLog {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String name;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private ReliabilityLog(String name) {
    this.name = name;
  }

  /** A log named {@code name}: its row in the report. */
  public static ReliabilityLog named(String name) {
    return new ReliabilityLog(name);
  }

  /** Sets one figure (a count, or a short text such as what was compared). */
  public ReliabilityLog put(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  /** Writes the figures; call it after the assertions, so only a passing test reports. */
  public void write() {
    Path file = Path.of("target", "reliability", name + ".json");
    try {
      Files.createDirectories(file.getParent());
      JSON.writeValue(file.toFile(), figures);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
