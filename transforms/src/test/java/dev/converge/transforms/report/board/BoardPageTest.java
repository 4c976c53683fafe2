package dev.converge.transforms.report.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.model.VoteCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BoardPageTest {
  private static final String HOSTILE =
      "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
          + "<a href=\"javascript:window.pwned=3\">click</a>' \" &amp;";
  private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("\\s([a-zA-Z-:]+)=\"([^\"]*)\"");

  @Test
  void theContentSecurityPolicyAllowsExactlyTheInlineStyleAndScriptByHash() {
    String page = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    String csp =
        between(page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"").replace("&#39;", "'");
    assertTrue(csp.startsWith("default-src 'none';"), csp);
    assertTrue(csp.contains("img-src data:"), csp);
    assertFalse(csp.contains("unsafe"), csp);
    assertTrue(csp.contains("style-src '" + BoardAssets.sha256(between(page, "<style>", "</style>")) + "'"), csp);
    assertTrue(csp.contains("script-src '" + BoardAssets.sha256(between(page, "<script>", "</script>")) + "'"), csp);
    assertTrue(page.indexOf("Content-Security-Policy") < page.indexOf("<style>"), "the policy comes first");
  }

  @Test
  void eachColumnHoldsOneCardPerTaskInItsState() {
    String page = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    assertEquals(2, cardsIn(page, BoardColumn.MERGED));
    assertEquals(1, cardsIn(page, BoardColumn.REJECTED));
    for (BoardColumn column : List.of(BoardColumn.PLANNED, BoardColumn.IMPLEMENTING, BoardColumn.TESTING,
        BoardColumn.VERIFYING, BoardColumn.CONFLICT, BoardColumn.FAILED)) {
      assertEquals(0, cardsIn(page, column), column.title());
      assertTrue(page.contains("data-column=\"" + column.id() + "\""), "every column is shown: " + column);
    }
  }

  @Test
  void hostileAgentAndTestTextIsShownAsTextAndAddsNoMarkup() {
    Task task = new Task("evil", "repo", "/r", "0".repeat(40), HOSTILE, List.of(), "", "true", 60);
    Candidate candidate =
        new Candidate("evil", "agent" + HOSTILE, HOSTILE, 0, CandidateStatus.PRODUCED, HOSTILE, "h" + HOSTILE,
            HOSTILE, HOSTILE, 1, false, new TestResult(TestStatus.PASSED, 0, HOSTILE, 1, 5), 3);
    Outcome outcome =
        new Outcome(task, TaskState.MERGED, HOSTILE, List.of(candidate),
            List.of(new VoteCluster(HOSTILE, List.of(HOSTILE), true, true)), HOSTILE);
    String clean = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    String page = BoardPage.render(BoardFixtures.ended(List.of(outcome)));

    assertFalse(page.contains("<script>window"), page);
    assertFalse(page.contains("<img"), page);
    assertFalse(page.contains("href=\"javascript"), page);
    assertTrue(page.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), page);
    assertEquals(tagNames(clean).stream().filter(t -> t.equals("script")).count(), 1);
    assertEquals(1, tagNames(page).stream().filter(t -> t.equals("script")).count(), "only the board's script");
    for (String[] attribute : attributes(page)) {
      assertFalse(attribute[0].toLowerCase().startsWith("on"), "event handler attribute " + attribute[0]);
      assertFalse(attribute[0].equalsIgnoreCase("style"), "style attributes are blocked by the policy");
      assertFalse(attribute[0].equalsIgnoreCase("src"), "nothing is loaded: " + attribute[1]);
      if (attribute[0].equals("href")) {
        assertTrue(attribute[1].startsWith("patches/"), "only patch links: " + attribute[1]);
      }
    }
  }

  @Test
  void onlyMergedTasksWithPlannerStyleIdsLinkToTheirPatch() {
    String page = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    assertTrue(page.contains("href=\"patches/alpha.patch\""), page);
    assertTrue(page.contains("href=\"patches/beta.patch\""), page);
    assertFalse(page.contains("patches/gamma.patch"), "a rejected task has no patch");
    assertEquals("patches/textkit/fix-1.patch", CardView.patchHref("textkit/fix-1").orElseThrow());
    assertTrue(CardView.patchHref("javascript:alert(1)").isEmpty());
    assertTrue(CardView.patchHref("../../etc/passwd").isEmpty());
    assertTrue(CardView.patchHref("a b").isEmpty());
  }

  @Test
  void simulatedAgentsAreLabelledOnTheirAttemptsCardsAndTheHeader() {
    Outcome outcome =
        BoardFixtures.outcome(BoardFixtures.task("sim", "repo"), TaskState.MERGED,
            List.of(BoardFixtures.candidate("sim", "dry-run", "simulated", "abcd", TestStatus.PASSED, 0)));
    String page = BoardPage.render(BoardFixtures.ended(List.of(outcome)));
    assertTrue(page.contains("<span class=\"badge simulated\">simulated</span>"), page);
    assertTrue(page.contains("Simulated agents took part in this job (dry-run)"), page);
    assertTrue(page.contains("dry-run (simulated)"), "the chart labels it too");
  }

  @Test
  void verifierCallsAndCostsAreChartedForTheirVerifier() {
    Verification verdict =
        new Verification(Verification.VERIFY, 0, "judge", "openai", "abcd", true, true, 0.9, List.of(), List.of(),
            700, false, 1000, 200, 0.0042);
    Outcome outcome =
        BoardFixtures.outcome(BoardFixtures.task("judged", "repo"), TaskState.MERGED,
                List.of(BoardFixtures.candidate("judged", "maker", "command", "abcd", TestStatus.PASSED, 0)))
            .withVerification(verdict);
    String page = BoardPage.render(BoardFixtures.ended(List.of(outcome)));
    String calls = figureOf(page, "Agent calls per agent");
    assertTrue(calls.contains("judge") && calls.contains("maker"), calls);
    assertTrue(figureOf(page, "Cost per agent").contains("judge"), page);
  }

  /** The {@code <figure>} whose heading is {@code title}. */
  private static String figureOf(String page, String title) {
    int heading = page.indexOf("<h2>" + title + "</h2>");
    assertTrue(heading >= 0, "no figure " + title + " in " + page);
    return page.substring(heading, page.indexOf("</figure>", heading));
  }

  @Test
  void tokensAndCostShowADashWhenNotRecorded() {
    String page = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    assertTrue(page.contains("<dt>tokens</dt><dd>—</dd><dt>cost</dt><dd>—</dd>"), page);
    assertTrue(page.contains("tokens — · cost —"), "the header too: " + page);
    assertFalse(page.contains("Cost per agent"), "no cost chart without costs");
  }

  @Test
  void recordedModelTokensAndCostAreShownOnAttemptsCardsHeaderAndChart() {
    Candidate priced =
        new Candidate("paid", "gpt", "openai", 0, CandidateStatus.PRODUCED, "diff", "abcd", "", "", 900, false,
            new TestResult(TestStatus.PASSED, 0, "", 10, 2), 1, "gpt-4o-mini", 1200, 300, 0.0123, 1);
    Outcome outcome = BoardFixtures.outcome(BoardFixtures.task("paid", "repo"), TaskState.MERGED, List.of(priced));
    String page = BoardPage.render(BoardFixtures.ended(List.of(outcome)));
    assertTrue(page.contains("gpt-4o-mini · 1,500 tokens · $0.0123"), page);
    assertTrue(page.contains("<dt>tokens</dt><dd>1,500</dd><dt>cost</dt><dd>$0.0123</dd>"), page);
    assertTrue(page.contains("tokens 1,500 · cost $0.0123"), page);
    assertTrue(page.contains("<h2>Cost per agent</h2>"), page);
  }

  @Test
  void severalRepositoriesAreGroupedInsideEachColumnAndOfferedInTheFilter() {
    List<Outcome> outcomes = new ArrayList<>(BoardFixtures.threeTasks());
    outcomes.add(
        BoardFixtures.outcome(BoardFixtures.task("other/delta", "other"), TaskState.MERGED,
            List.of(BoardFixtures.candidate("other/delta", "careful", "command", "dddd", TestStatus.PASSED, 0))));
    String page = BoardPage.render(BoardFixtures.ended(outcomes));
    assertTrue(page.contains("<h3 class=\"group-title\">other</h3>"), page);
    assertTrue(page.contains("<h3 class=\"group-title\">repo</h3>"), page);
    assertTrue(page.contains("<option value=\"other\">other</option>"), page);
    String single = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    assertFalse(single.contains("class=\"group-title\""), "one repository needs no group headings");
  }

  @Test
  void theChartsAreInlineSvgFromRecordedTimes() {
    String page = BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks()));
    assertEquals(4, count(page, "<svg "), "four charts");
    assertTrue(page.contains("Calls in flight over time"), page);
    assertTrue(page.contains("class=\"series agents\""), "agent calls have start times: " + page);
  }

  @Test
  void withoutStartTimesTheInFlightChartSaysWhy() {
    Outcome old =
        BoardFixtures.outcome(BoardFixtures.task("old", "repo"), TaskState.REJECTED,
            List.of(new Candidate("old", "a", "command", 0, CandidateStatus.NO_CHANGE, "", "", "made no change",
                "", 10, false, TestResult.notRun("no patch"))));
    String page = BoardPage.render(BoardFixtures.ended(List.of(old)));
    assertTrue(page.contains("records no start times"), page);
    assertEquals(3, count(page, "<svg "), page);
  }

  @Test
  void aRunningBoardReloadsItselfAndPlacesTasksInStageColumns() {
    List<Task> tasks = List.of(BoardFixtures.task("a", "r"), BoardFixtures.task("b", "r"));
    Board board =
        Board.running("spec", "direct", RunningTasks.cards(tasks, 2, java.util.Map.of("a", 2L), java.util.Map.of()), 4.2, 5);
    String page = BoardPage.render(board);
    assertTrue(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"), page);
    assertEquals(1, cardsIn(page, BoardColumn.TESTING));
    assertEquals(1, cardsIn(page, BoardColumn.PLANNED));
    assertTrue(page.contains("0 of 2 candidates tested"), page);
    assertFalse(BoardPage.render(BoardFixtures.ended(BoardFixtures.threeTasks())).contains("refresh"));
  }

  private static int cardsIn(String page, BoardColumn column) {
    String start = "data-column=\"" + column.id() + "\">";
    int from = page.indexOf(start);
    int to = page.indexOf("</section>", from);
    return count(page.substring(from, to), "<article class=\"card");
  }

  private static List<String> tagNames(String page) {
    List<String> names = new ArrayList<>();
    Matcher tag = TAG.matcher(page);
    while (tag.find()) {
      names.add(tag.group(1).toLowerCase());
    }
    return names;
  }

  private static List<String[]> attributes(String page) {
    List<String[]> attributes = new ArrayList<>();
    Matcher tag = TAG.matcher(page);
    while (tag.find()) {
      Matcher attribute = ATTRIBUTE.matcher(tag.group(2));
      while (attribute.find()) {
        attributes.add(new String[] {attribute.group(1), attribute.group(2)});
      }
    }
    return attributes;
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }
}
