package dev.converge.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.transforms.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code results.jsonl} of an output folder, with the fields that differ between runs removed. */
final class ResultsFiles {
  private ResultsFiles() {}

  /**
   * Every line of {@code out/results.jsonl} as JSON, without {@code candidateFields} in each
   * candidate and {@code testFields} in each candidate's test result.
   */
  static List<JsonNode> without(Path out, List<String> candidateFields, List<String> testFields) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      JsonNode node = Json.MAPPER.readTree(line);
      for (JsonNode candidate : node.get("candidates")) {
        ((ObjectNode) candidate).remove(candidateFields);
        if (candidate.get("test").isObject()) {
          ((ObjectNode) candidate.get("test")).remove(testFields);
        }
      }
      lines.add(node);
    }
    return lines;
  }
}
