package dev.converge.runners;

import dev.converge.transforms.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the figures of one hardening test to {@code target/reliability/<name>.json}, for {@code
 * scripts/reliability-report}; called after the assertions, so only a passing test reports.
 */
final class ReliabilityFigures {
  private ReliabilityFigures() {}

  static void write(String name, Map<String, Object> figures) throws Exception {
    Path file = Path.of("target", "reliability", name + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, Json.pretty(figures));
  }
}
