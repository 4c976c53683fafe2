package dev.converge.transforms.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.converge.transforms.agent.Redactor;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads what reviewers and verifiers print, strictly: an answer that breaks the contract fails the
 * call with a reason that says what was wrong, and nothing of it is used. An answer may be wrapped
 * in one Markdown code fence, as chat models like to do.
 */
public final class ReviewReplies {
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final int QUOTE_CHARS = 120;

  private ReviewReplies() {}

  /** The findings of a reviewer's answer, or why the call failed. */
  public record FindingsAnswer(List<Finding> findings, String error) {
    public boolean ok() {
      return error.isEmpty();
    }

    static FindingsAnswer failed(String error) {
      return new FindingsAnswer(List.of(), error);
    }
  }

  /** Reads a reviewer's reply to {@code chunk}. */
  public static FindingsAnswer findings(ReviewAgent.Reply reply, Chunk chunk, String reviewer, int sample) {
    String failure = processFailure(reply);
    if (failure != null) {
      return FindingsAnswer.failed(failure);
    }
    JsonNode root;
    try {
      root = parse(reply.answer());
    } catch (JsonProcessingException e) {
      return FindingsAnswer.failed("the answer is not JSON (" + Texts.firstLine(e.getOriginalMessage()) + "): " + quote(reply.answer()));
    }
    if (!root.isArray()) {
      return FindingsAnswer.failed("the answer must be a JSON array of findings, got " + kind(root) + ": " + quote(reply.answer()));
    }
    Map<String, Rule> rules =
        chunk.rules().stream().collect(Collectors.toMap(Rule::id, Function.identity()));
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode item = root.get(i);
      String where = "finding " + (i + 1);
      if (!item.isObject()) {
        return FindingsAnswer.failed(where + ": expected an object, got " + kind(item));
      }
      JsonNode rule = item.get("rule");
      if (rule == null || !rule.isTextual()) {
        return FindingsAnswer.failed(where + ": 'rule' must be a string");
      }
      if (!rules.containsKey(rule.asText())) {
        return FindingsAnswer.failed(
            where + ": rule '" + quote(rule.asText()) + "' was not asked (asked: " + String.join(", ", chunk.ruleIds()) + ")");
      }
      Integer start = lineNumber(item.get("startLine"));
      if (start == null) {
        return FindingsAnswer.failed(where + ": 'startLine' must be a positive integer");
      }
      Integer end = item.hasNonNull("endLine") ? lineNumber(item.get("endLine")) : start;
      if (end == null) {
        return FindingsAnswer.failed(where + ": 'endLine' must be a positive integer");
      }
      if (start < chunk.startLine() || end > chunk.endLine() || end < start) {
        return FindingsAnswer.failed(
            where + ": lines " + start + "-" + end + " are not inside the chunk (lines "
                + chunk.startLine() + "-" + chunk.endLine() + ")");
      }
      JsonNode message = item.get("message");
      if (message == null || !message.isTextual()) {
        return FindingsAnswer.failed(where + ": 'message' must be a string");
      }
      Rule matched = rules.get(rule.asText());
      int contextStart = Math.max(chunk.startLine(), start - Finding.CONTEXT_LINES);
      int contextEnd = Math.min(chunk.endLine(), end + Finding.CONTEXT_LINES);
      String text = message.asText().strip();
      // A finding about a hard-coded key quotes it; every report, the state file and the verifier
      // get the finding's text from here, so the key is removed once, here.
      findings.add(
          new Finding(
              chunk.target(),
              chunk.path(),
              matched.id(),
              matched.severity(),
              start,
              end,
              Redactor.redact(text.isEmpty() ? matched.title() : text),
              reviewer,
              sample,
              Redactor.redact(chunk.lines(start, end)),
              Redactor.redact(chunk.lines(contextStart, contextEnd)),
              contextStart));
    }
    return new FindingsAnswer(findings, "");
  }

  /** Reads a verifier's reply; a broken reply gives a verdict with status {@code failed}. */
  public static Verdict verdict(ReviewAgent.Reply reply, String verifier) {
    String failure = processFailure(reply);
    if (failure != null) {
      return failed(verifier, failure, reply);
    }
    JsonNode root;
    try {
      root = parse(reply.answer());
    } catch (JsonProcessingException e) {
      return failed(verifier, "the verdict is not JSON (" + Texts.firstLine(e.getOriginalMessage()) + "): " + quote(reply.answer()), reply);
    }
    if (!root.isObject()) {
      return failed(verifier, "the verdict must be a JSON object, got " + kind(root) + ": " + quote(reply.answer()), reply);
    }
    JsonNode verdict = root.get("verdict");
    if (verdict == null
        || !verdict.isTextual()
        || !(verdict.asText().equals(Verdict.CONFIRMED) || verdict.asText().equals(Verdict.REFUTED))) {
      return failed(verifier, "'verdict' must be \"confirmed\" or \"refuted\": " + quote(reply.answer()), reply);
    }
    JsonNode reason = root.get("reason");
    if (reason != null && !reason.isNull() && !reason.isTextual()) {
      return failed(verifier, "'reason' must be a string: " + quote(reply.answer()), reply);
    }
    return new Verdict(
        verifier,
        verdict.asText(),
        reason == null || reason.isNull() ? "" : reason.asText().strip(),
        reply.durationMs(),
        reply.log());
  }

  private static Verdict failed(String verifier, String reason, ReviewAgent.Reply reply) {
    String log = reply.log().isEmpty() ? reply.answer() : reply.log();
    return new Verdict(verifier, Verdict.FAILED, reason, reply.durationMs(), tail(log));
  }

  private static String processFailure(ReviewAgent.Reply reply) {
    if (reply.timedOut()) {
      return "timed out after " + reply.durationMs() + " ms";
    }
    if (reply.exitCode() != 0) {
      return "exited with code " + reply.exitCode();
    }
    return null;
  }

  private static JsonNode parse(String answer) throws JsonProcessingException {
    String text = unfence(answer.strip());
    if (text.isEmpty()) {
      throw new JsonProcessingException("the answer is empty") {};
    }
    return READER.readTree(text);
  }

  /** The inside of a single Markdown code fence around the whole answer, else the answer. */
  static String unfence(String text) {
    if (!text.startsWith("```") || !text.endsWith("```") || text.length() < 6) {
      return text;
    }
    int firstNewline = text.indexOf('\n');
    if (firstNewline < 0) {
      return text;
    }
    return text.substring(firstNewline + 1, text.length() - 3).strip();
  }

  private static Integer lineNumber(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
      return null;
    }
    return node.asInt();
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }


  /** A short, one-line excerpt of what an agent printed, for reasons. */
  static String quote(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > QUOTE_CHARS ? oneLine.substring(0, QUOTE_CHARS) + "…" : oneLine;
  }

  static String tail(String text) {
    return Texts.tail(text, 4000);
  }
}
