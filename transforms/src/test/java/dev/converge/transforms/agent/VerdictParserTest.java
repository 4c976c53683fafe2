package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict schema: what is a valid verdict, and how every bad answer is reported. */
class VerdictParserTest {

  @Test
  void readsAPassWithScore() {
    VerdictParser.Parsed parsed = VerdictParser.parse("{\"verdict\": \"pass\", \"reasons\": [\"fine\"], \"score\": 0.75}");
    assertTrue(parsed.valid());
    assertTrue(parsed.passed());
    assertEquals(0.75, parsed.score());
    assertEquals(List.of("fine"), parsed.reasons());
  }

  @Test
  void readsAFailWithLocationsFromAFencedBlockAfterProse() {
    String answer =
        "Let me look at {this}.\n```json\n{\"verdict\": \"fail\", \"reasons\": [\"off by one in {range}\"],"
            + " \"locations\": [{\"file\": \"a.py\", \"line\": 3}, {\"file\": \"b.py\"}]}\n```\nDone.";
    VerdictParser.Parsed parsed = VerdictParser.parse(answer);
    assertTrue(parsed.valid(), parsed.reasons().toString());
    assertFalse(parsed.passed());
    assertEquals(0.0, parsed.score());
    assertEquals(List.of("off by one in {range}"), parsed.reasons());
    assertEquals(List.of("a.py:3", "b.py"), parsed.locations());
  }

  @Test
  void theLastVerdictCountsWhenAnAgentLogsFirst() {
    String answer = "{\"verdict\": \"fail\", \"reasons\": [\"draft\"]}\nthinking again\n{\"verdict\": \"pass\"}\n";
    VerdictParser.Parsed parsed = VerdictParser.parse(answer);
    assertTrue(parsed.valid());
    assertTrue(parsed.passed());
    assertEquals(1.0, parsed.score(), "a pass without a score scores 1");
  }

  @Test
  void everyBadAnswerIsAnInvalidVerdictWithItsReason() {
    assertInvalid("looks good to me", "holds no JSON object");
    assertInvalid("{\"result\": \"pass\"}", "holds no JSON object");
    assertInvalid("{\"verdict\": \"maybe\"}", "\"verdict\" must be \"pass\" or \"fail\"");
    assertInvalid("{\"verdict\": true}", "\"verdict\" must be \"pass\" or \"fail\"");
    assertInvalid("{\"verdict\": \"fail\"}", "needs at least one reason");
    assertInvalid("{\"verdict\": \"fail\", \"reasons\": [\" \"]}", "needs at least one reason");
    assertInvalid("{\"verdict\": \"pass\", \"reasons\": \"fine\"}", "\"reasons\" must be a list");
    assertInvalid("{\"verdict\": \"pass\", \"reasons\": [1]}", "\"reasons\" must be a list of strings");
    assertInvalid("{\"verdict\": \"pass\", \"score\": 1.5}", "\"score\" must be a number from 0 to 1");
    assertInvalid("{\"verdict\": \"pass\", \"score\": \"high\"}", "\"score\" must be a number from 0 to 1");
    assertInvalid("{\"verdict\": \"pass\", \"locations\": [{\"line\": 2}]}", "needs a \"file\"");
    assertInvalid("{\"verdict\": \"pass\", \"locations\": [{\"file\": \"a\", \"line\": \"x\"}]}", "whole number");
    assertInvalid("{\"verdict\": \"pass\"", "holds no JSON object");
  }

  @Test
  void aHugeAnswerFullOfBracesIsReadInBoundedTime() {
    String answer = "{".repeat(300_000) + "}".repeat(300_000);
    assertInvalid(answer, "holds no JSON object");
  }

  private static void assertInvalid(String answer, String why) {
    VerdictParser.Parsed parsed = VerdictParser.parse(answer);
    assertFalse(parsed.valid(), answer);
    assertFalse(parsed.passed(), answer);
    assertTrue(parsed.reasons().get(0).startsWith("invalid verdict: "), parsed.reasons().toString());
    assertTrue(parsed.reasons().get(0).contains(why), parsed.reasons() + " should say " + why);
  }
}
