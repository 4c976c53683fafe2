package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.transforms.model.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the demo's board.html in a real headless Chromium (from disk, as a user would) and checks
 * its columns, its filter box, and that hostile agent output is shown as text and runs nothing.
 */
class BoardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final List<String> COLUMNS =
      List.of("planned", "implementing", "testing", "verifying", "merged", "rejected", "conflict", "failed");
  private static final List<String> END_STATES = List.of("merged", "rejected", "conflict", "failed");

  /** Each payload tries to set window.pwned (and to alert) if it ever ran. */
  private static final String HOSTILE =
      "<script>window.pwned=1;alert(1)</script>"
          + "<img src=x onerror=\"window.pwned=2;alert(2)\">"
          + "<a href=\"javascript:window.pwned=3\">click me</a>"
          + "\"><svg onload=\"window.pwned=4\"></svg>"
          + "'></pre></details><script>window.pwned=5</script>";

  @TempDir static Path dir;
  private static Path demo;
  private static JsonNode summary;
  private static WebDriver browser;

  @BeforeAll
  static void runTheDemoAndStartTheBrowser() throws IOException {
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the board test needs Debian's chromium and chromium-driver; scripts/test installs them");
    demo = dir.resolve("demo");
    assertEquals(Converge.EXIT_OK, Converge.execute("demo", "--out", demo.toString()));
    summary = Json.MAPPER.readTree(demo.resolve("summary.json").toFile());
    browser = startChromium(dir.resolve("chromium-profile"));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void everyColumnIsShownAndHoldsAsManyCardsAsSummaryJsonCounts() throws IOException {
    open(demo.resolve("board.html"));
    List<String> columns = new ArrayList<>();
    for (WebElement column : browser.findElements(By.cssSelector("section.column"))) {
      String state = column.getDomAttribute("data-column");
      columns.add(state);
      int expected = END_STATES.contains(state) ? summary.get("states").get(state).asInt() : 0;
      int cards = column.findElements(By.cssSelector("article.card")).size();
      assertEquals(expected, cards, "cards in " + state);
      assertEquals(Integer.toString(expected), column.findElement(By.cssSelector(".count")).getText());
    }
    assertEquals(COLUMNS, columns);
    assertEquals(summary.get("tasks").asInt(), browser.findElements(By.cssSelector("article.card")).size());
    // The hashed style sheet applied (the policy let it in): cards have their coloured edge.
    assertEquals("4px", browser.findElement(By.cssSelector("article.card")).getCssValue("border-left-width"));
    saveFullPageScreenshot(Path.of("target", "board-demo.png"));
  }

  @Test
  void typingATaskIdInTheFilterBoxLeavesOnlyItsCard() {
    open(demo.resolve("board.html"));
    browser.findElement(By.id("filter-text")).sendKeys("fix-word-count");
    waitUntil(() -> visibleCards().size() == 1);
    assertEquals("fix-word-count", visibleCards().get(0).getDomAttribute("data-task"));
    assertEquals("1 of 7 tasks shown", browser.findElement(By.id("filter-shown")).getText());
    assertEquals("1", browser.findElement(By.cssSelector("[data-column=merged] .count")).getText());
    assertEquals("0", browser.findElement(By.cssSelector("[data-column=rejected] .count")).getText());
  }

  @Test
  void theStateFilterShowsOneColumnsCards() {
    open(demo.resolve("board.html"));
    browser.findElement(By.cssSelector("#filter-state option[value=rejected]")).click();
    int rejected = summary.get("states").get("rejected").asInt();
    waitUntil(() -> visibleCards().size() == rejected);
    visibleCards().forEach(card -> assertEquals("rejected", card.getDomAttribute("data-state")));
  }

  @Test
  void mergedCardsLinkToTheirPatchFiles() {
    open(demo.resolve("board.html"));
    List<WebElement> links = browser.findElements(By.cssSelector("a.patch"));
    assertEquals(summary.get("states").get("merged").asInt(), links.size());
    for (WebElement link : links) {
      String href = link.getDomAttribute("href");
      assertTrue(href.startsWith("patches/") && href.endsWith(".patch"), href);
      assertTrue(Files.isRegularFile(demo.resolve(href)), "the link points at a written patch: " + href);
    }
  }

  @Test
  void hostileAgentOutputIsShownAsTextAndRunsNothing() throws Exception {
    Path hostile = dir.resolve("hostile");
    Files.createDirectories(hostile);
    Files.copy(demo.resolve("summary.json"), hostile.resolve("summary.json"));
    Files.writeString(hostile.resolve("results.jsonl"), poison(Files.readAllLines(demo.resolve("results.jsonl"))));
    assertEquals(Converge.EXIT_OK, Converge.execute("board", hostile.toString()));

    open(hostile.resolve("board.html"));
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
    assertEquals("undefined", script("return typeof window.pwned"));
    assertTrue(browser.findElements(By.cssSelector("img, iframe, object, embed")).isEmpty());
    assertTrue(browser.findElements(By.cssSelector("[onerror], [onload], [onclick]")).isEmpty());
    assertEquals(1, browser.findElements(By.tagName("script")).size(), "only the board's own script");
    for (WebElement link : browser.findElements(By.cssSelector("a[href]"))) {
      assertTrue(link.getDomAttribute("href").startsWith("patches/"), link.getDomAttribute("href"));
    }
    String poisoned = Json.MAPPER.readTree(Files.readAllLines(demo.resolve("results.jsonl")).get(0)).at("/task/id").asText();
    WebElement card = browser.findElement(By.cssSelector("article[data-task='" + poisoned + "']"));
    for (WebElement output : card.findElements(By.cssSelector("details pre"))) {
      assertEquals(HOSTILE, output.getDomProperty("textContent"));
    }
    assertTrue(card.findElement(By.cssSelector(".instructions")).getText().contains("<script>window.pwned=1"));
    assertEquals(7, browser.findElements(By.cssSelector("article.card")).size(), "the payload broke no markup");

    browser.findElement(By.id("filter-text")).sendKeys("<script>");
    waitUntil(() -> visibleCards().size() == 1);
    assertEquals("undefined", script("return typeof window.pwned"));
    saveFullPageScreenshot(Path.of("target", "board-hostile.png"));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("payloads", 5);
    figures.put(
        "fieldsPoisoned",
        List.of(
            "instructions", "reason", "agentId", "candidate reason", "agent output", "test output",
            "verifier id, reasons and locations", "repair feedback, agent and outputs"));
    figures.put("scriptsRun", 0);
    ReliabilityFigures.write("board-hostile-text", figures);
  }

  /** The demo's results with the payload in one task's instructions, reason, agent and test output. */
  private static String poison(List<String> lines) throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode outcome = (ObjectNode) Json.MAPPER.readTree(lines.get(i));
      if (i == 0) {
        ((ObjectNode) outcome.get("task")).put("instructions", HOSTILE);
        outcome.put("reason", HOSTILE);
        for (JsonNode candidate : outcome.get("candidates")) {
          ((ObjectNode) candidate).put("logTail", HOSTILE);
          ((ObjectNode) candidate).put("reason", HOSTILE);
          if (candidate.hasNonNull("test")) {
            ((ObjectNode) candidate.get("test")).put("outputTail", HOSTILE);
          }
        }
        ((ObjectNode) outcome.get("candidates").get(0)).put("agentId", HOSTILE);
        for (JsonNode verification : outcome.withArray("verifications")) {
          ((ObjectNode) verification).put("verifierId", HOSTILE);
          ((ObjectNode) verification).putArray("reasons").add(HOSTILE);
          ((ObjectNode) verification).putArray("locations").add(HOSTILE);
        }
        for (JsonNode repair : outcome.withArray("repairs")) {
          ((ObjectNode) repair).put("feedback", HOSTILE);
          ObjectNode candidate = (ObjectNode) repair.get("candidate");
          candidate.put("agentId", HOSTILE);
          candidate.put("logTail", HOSTILE);
          candidate.put("reason", HOSTILE);
          if (candidate.hasNonNull("test")) {
            ((ObjectNode) candidate.get("test")).put("outputTail", HOSTILE);
          }
        }
      }
      jsonl.append(Json.line(outcome)).append('\n');
    }
    return jsonl.toString();
  }

  private static WebDriver startChromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1800,1200");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void open(Path page) {
    browser.manage().window().setSize(new Dimension(1800, 1200));
    browser.get(page.toUri().toString());
  }

  private static List<WebElement> visibleCards() {
    return browser.findElements(By.cssSelector("article.card")).stream().filter(WebElement::isDisplayed).toList();
  }

  private static Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> condition.getAsBoolean());
  }

  /** Grows the window to the page's height first, so the picture shows the whole board. */
  private static void saveFullPageScreenshot(Path file) throws IOException {
    long height = (Long) script("return document.documentElement.scrollHeight");
    long width = (Long) script("return document.documentElement.scrollWidth");
    browser.manage().window().setSize(new Dimension((int) Math.max(1800, width), (int) Math.min(height + 40, 6000)));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
  }
}
