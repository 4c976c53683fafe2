package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.LICENSE;
import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static dev.converge.transforms.review.ReviewFixtures.chunk;
import static dev.converge.transforms.review.ReviewFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewRepliesTest {
  private static final Chunk CHUNK = chunk("app/db.py", 11, 20, List.of(SQL, SECRET));

  private static ReviewReplies.FindingsAnswer read(String answer) {
    return ReviewReplies.findings(ReviewAgent.Reply.answered(answer), CHUNK, "careful", 1);
  }

  @Test
  void readsFindingsWithTheirTextAndContext() {
    ReviewReplies.FindingsAnswer answer =
        read("[" + json("sql", 12, 13, "concatenated SQL") + ", {\"rule\": \"secret\", \"startLine\": 20, \"message\": \"key\"}]");

    assertTrue(answer.ok(), answer.error());
    assertEquals(2, answer.findings().size());
    Finding first = answer.findings().get(0);
    assertEquals("sql", first.rule());
    assertEquals(Severity.HIGH, first.severity());
    assertEquals("line 12\nline 13\n", first.snippet());
    assertEquals(11, first.contextStartLine());
    assertTrue(first.context().startsWith("line 11\n") && first.context().endsWith("line 20\n"));
    assertEquals("careful", first.reviewer());
    assertEquals(1, first.sample());
    Finding second = answer.findings().get(1);
    assertEquals(20, second.endLine(), "endLine defaults to startLine");
    assertEquals(Severity.CRITICAL, second.severity());
  }

  @Test
  void keysQuotedByAFindingOrItsLinesAreRedacted() {
    String key = "AKIA" + "ABCDEFGHIJKLMNOP";
    Chunk withKey = new Chunk("svc", "app/settings.py", "h", 1, 3, 3, "import os\nAWS_KEY = '" + key + "'\nDEBUG = 1\n", List.of(SECRET));

    ReviewReplies.FindingsAnswer answer =
        ReviewReplies.findings(
            ReviewAgent.Reply.answered("[" + json("secret", 2, 2, "hard-coded key " + key) + "]"), withKey, "careful", 0);

    assertTrue(answer.ok(), answer.error());
    Finding finding = answer.findings().get(0);
    for (String text : List.of(finding.message(), finding.snippet(), finding.context())) {
      assertFalse(text.contains(key), text);
      assertTrue(text.contains("[redacted]"), text);
    }
  }

  @Test
  void anEmptyArrayIsNoFinding() {
    assertTrue(read("[]\n").ok());
    assertEquals(List.of(), read(" [ ] ").findings());
  }

  @Test
  void acceptsOneMarkdownFenceAroundTheAnswer() {
    ReviewReplies.FindingsAnswer answer = read("```json\n[" + json("sql", 12, 12, "x") + "]\n```\n");
    assertTrue(answer.ok(), answer.error());
    assertEquals(1, answer.findings().size());
  }

  @Test
  void brokenAnswersFailTheCallWithAReason() {
    assertFailure("the answer is not JSON", read("I found nothing worrying."));
    assertFailure("the answer is empty", read("   "));
    assertFailure("must be a JSON array of findings, got an object", read("{\"findings\": []}"));
    assertFailure("the answer is not JSON", read("[] and some chatter"));
    assertFailure("finding 1: expected an object, got a string", read("[\"sql\"]"));
    assertFailure("finding 1: 'rule' must be a string", read("[{\"startLine\": 12, \"message\": \"m\"}]"));
    assertFailure(
        "finding 1: rule 'xss' was not asked (asked: sql, secret)", read("[" + json("xss", 12, 12, "m") + "]"));
    assertFailure("finding 1: 'startLine' must be a positive integer", read("[{\"rule\": \"sql\", \"startLine\": \"12\", \"message\": \"m\"}]"));
    assertFailure("finding 1: 'startLine' must be a positive integer", read("[{\"rule\": \"sql\", \"startLine\": 12.5, \"message\": \"m\"}]"));
    assertFailure("finding 2: lines 5-5 are not inside the chunk (lines 11-20)",
        read("[" + json("sql", 12, 12, "m") + "," + json("sql", 5, 5, "m") + "]"));
    assertFailure("lines 19-21 are not inside the chunk", read("[" + json("sql", 19, 21, "m") + "]"));
    assertFailure("lines 15-14 are not inside the chunk", read("[" + json("sql", 15, 14, "m") + "]"));
    assertFailure("finding 1: 'message' must be a string", read("[{\"rule\": \"sql\", \"startLine\": 12}]"));
  }

  @Test
  void aCrashOrATimeoutFailsTheCallWhateverItPrinted() {
    assertFailure(
        "exited with code 2",
        ReviewReplies.findings(new ReviewAgent.Reply(2, false, "[]", "Traceback", 5), CHUNK, "a", 0));
    assertFailure(
        "timed out after 900 ms",
        ReviewReplies.findings(new ReviewAgent.Reply(-1, true, "", "", 900), CHUNK, "a", 0));
  }

  @Test
  void readsVerdicts() {
    Verdict confirmed =
        ReviewReplies.verdict(ReviewAgent.Reply.answered("{\"verdict\": \"confirmed\", \"reason\": \" real \"}"), "skeptic");
    assertEquals(new Verdict("skeptic", Verdict.CONFIRMED, "real", 0, ""), confirmed);
    Verdict refuted = ReviewReplies.verdict(ReviewAgent.Reply.answered("```\n{\"verdict\": \"refuted\"}\n```"), "skeptic");
    assertEquals(Verdict.REFUTED, refuted.status());
    assertEquals("", refuted.reason());
  }

  @Test
  void brokenVerdictsAreFailedVerifications() {
    assertVerdictFailure("the verdict is not JSON", "looks fine to me");
    assertVerdictFailure("the verdict must be a JSON object, got an array", "[]");
    assertVerdictFailure("'verdict' must be \"confirmed\" or \"refuted\"", "{\"verdict\": \"maybe\"}");
    assertVerdictFailure("'verdict' must be \"confirmed\" or \"refuted\"", "{\"reason\": \"no verdict\"}");
    assertVerdictFailure("'reason' must be a string", "{\"verdict\": \"refuted\", \"reason\": 3}");
    Verdict crashed = ReviewReplies.verdict(new ReviewAgent.Reply(1, false, "", "boom", 3), "skeptic");
    assertEquals(Verdict.FAILED, crashed.status());
    assertEquals("exited with code 1", crashed.reason());
    assertEquals("boom", crashed.log());
  }

  @Test
  void quotesOfAgentOutputAreShortAndOnOneLine() {
    String quote = ReviewReplies.quote("a\n\n b " + "x".repeat(500));
    assertTrue(quote.startsWith("a b x"));
    assertTrue(quote.length() <= 121, quote);
  }

  private static void assertFailure(String expected, ReviewReplies.FindingsAnswer answer) {
    assertTrue(!answer.ok() && answer.error().contains(expected), "expected '" + expected + "', got: " + answer.error());
    assertEquals(List.of(), answer.findings());
  }

  private static void assertVerdictFailure(String expected, String answer) {
    Verdict verdict = ReviewReplies.verdict(ReviewAgent.Reply.answered(answer), "skeptic");
    assertEquals(Verdict.FAILED, verdict.status());
    assertTrue(verdict.reason().contains(expected), "expected '" + expected + "', got: " + verdict.reason());
  }

  @Test
  void unusedRulesDoNotMatter() {
    assertTrue(ReviewReplies.findings(ReviewAgent.Reply.answered("[]"), chunk("a.md", 1, 2, List.of(LICENSE)), "a", 0).ok());
  }
}
