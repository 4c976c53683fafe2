package dev.converge.transforms.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a verifier's answer. The schema is fixed:
 *
 * <pre>{"verdict": "pass" | "fail", "reasons": ["..."], "locations": [{"file": "a.py", "line": 3}], "score": 0.9}</pre>
 *
 * <p>{@code verdict} is required; {@code reasons} is required (non-empty) when it is {@code fail};
 * {@code locations} and {@code score} (a number in [0, 1]) are optional. The object may stand alone
 * or inside a fenced block; when the answer holds several JSON objects, the last one with a {@code
 * verdict} counts (command verifiers often log before they answer). Anything else is an invalid
 * verdict with a reason, never an exception: a verifier that cannot answer in the schema fails its
 * verification.
 */
public final class VerdictParser {
  /** Characters of an answer that are looked at; longer answers are cut from the front. */
  static final int MAX_ANSWER_CHARS = 200_000;

  /** Opening braces tried, from the right, before an answer counts as holding no verdict. */
  static final int MAX_OBJECT_STARTS = 200;

  private VerdictParser() {}

  /**
   * A verdict read from an answer.
   *
   * @param valid whether the answer fit the schema
   * @param passed the verdict ({@code false} when not valid)
   * @param score the score ({@code 1} or {@code 0} by the verdict when none was given)
   * @param reasons the verifier's reasons, or what was wrong with the answer
   * @param locations {@code file:line} strings
   */
  public record Parsed(
      boolean valid, boolean passed, double score, List<String> reasons, List<String> locations) {
    static Parsed invalid(String why) {
      return new Parsed(false, false, 0, List.of("invalid verdict: " + why), List.of());
    }
  }

  public static Parsed parse(String answer) {
    String text =
        answer.length() > MAX_ANSWER_CHARS ? answer.substring(answer.length() - MAX_ANSWER_CHARS) : answer;
    Optional<JsonNode> found = lastVerdictObject(text);
    if (found.isEmpty()) {
      return Parsed.invalid("the answer holds no JSON object with a \"verdict\"");
    }
    JsonNode node = found.get();
    JsonNode verdict = node.get("verdict");
    if (!verdict.isTextual() || !(verdict.asText().equals("pass") || verdict.asText().equals("fail"))) {
      return Parsed.invalid("\"verdict\" must be \"pass\" or \"fail\", got " + verdict);
    }
    boolean passed = verdict.asText().equals("pass");
    List<String> reasons = new ArrayList<>();
    JsonNode reasonsNode = node.path("reasons");
    if (!reasonsNode.isMissingNode() && !reasonsNode.isNull()) {
      if (!reasonsNode.isArray()) {
        return Parsed.invalid("\"reasons\" must be a list of strings");
      }
      for (JsonNode reason : reasonsNode) {
        if (!reason.isTextual()) {
          return Parsed.invalid("\"reasons\" must be a list of strings, found " + reason.getNodeType());
        }
        reasons.add(reason.asText());
      }
    }
    if (!passed && reasons.stream().allMatch(String::isBlank)) {
      return Parsed.invalid("a \"fail\" verdict needs at least one reason");
    }
    List<String> locations = new ArrayList<>();
    JsonNode locationsNode = node.path("locations");
    if (!locationsNode.isMissingNode() && !locationsNode.isNull()) {
      if (!locationsNode.isArray()) {
        return Parsed.invalid("\"locations\" must be a list of {\"file\", \"line\"} objects");
      }
      for (JsonNode location : locationsNode) {
        if (!location.path("file").isTextual()) {
          return Parsed.invalid("every location needs a \"file\" string");
        }
        JsonNode line = location.path("line");
        if (!line.isMissingNode() && !line.canConvertToInt()) {
          return Parsed.invalid("a location's \"line\" must be a whole number");
        }
        locations.add(location.get("file").asText() + (line.isMissingNode() ? "" : ":" + line.asInt()));
      }
    }
    double score = passed ? 1 : 0;
    JsonNode scoreNode = node.path("score");
    if (!scoreNode.isMissingNode() && !scoreNode.isNull()) {
      if (!scoreNode.isNumber() || scoreNode.asDouble() < 0 || scoreNode.asDouble() > 1) {
        return Parsed.invalid("\"score\" must be a number from 0 to 1, got " + scoreNode);
      }
      score = scoreNode.asDouble();
    }
    return new Parsed(true, passed, score, reasons, locations);
  }

  /**
   * The object with a "verdict" that starts last in {@code text}: tried from each '{' leftwards (at
   * most {@link #MAX_OBJECT_STARTS}), reading one JSON value from there, so braces inside strings
   * and trailing prose do not matter.
   */
  private static Optional<JsonNode> lastVerdictObject(String text) {
    int tried = 0;
    for (int start = text.lastIndexOf('{');
        start >= 0 && tried < MAX_OBJECT_STARTS;
        start = text.lastIndexOf('{', start - 1), tried++) {
      try (JsonParser parser = Json.MAPPER.createParser(text.substring(start))) {
        JsonNode node = parser.readValueAsTree();
        if (node != null && node.isObject() && node.has("verdict")) {
          return Optional.of(node);
        }
      } catch (IOException e) {
        // Not JSON from here (a brace in prose or code): keep looking further left.
      }
    }
    return Optional.empty();
  }
}
