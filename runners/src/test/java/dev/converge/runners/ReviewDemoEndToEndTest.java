package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.review.ClusterState;
import dev.converge.transforms.review.FindingCluster;
import dev.converge.transforms.review.ReviewCall;
import dev.converge.transforms.review.ReviewOutputs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline review demo through the CLI on the Direct Runner: every planted issue is reported,
 * the noisy reviewer's false positives are filtered out, findings.sarif is valid SARIF 2.1.0, and
 * a second run after editing one file reviews only that file and drops the fixed issue.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewDemoEndToEndTest {
  // Surefire runs tests in the module folder.
  private static final Path SARIF_SCHEMA =
      Path.of("..", "transforms", "src", "test", "resources", "sarif", "sarif-schema-2.1.0.json");

  @TempDir static Path out;
  private static String firstRunConsole;

  private static Path input() {
    return out.resolve(ReviewDemo.INPUT_FOLDER);
  }

  private static String runCli(int expectedExit, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Converge.execute(args);
    } finally {
      System.setOut(original);
    }
    String console = captured.toString(StandardCharsets.UTF_8);
    original.print(console);
    assertEquals(expectedExit, exit, "converge " + String.join(" ", args) + ":\n" + console);
    return console;
  }

  private static List<FindingCluster> results() throws IOException {
    return ReviewOutputs.readLines(out.toString(), ReviewOutputs.RESULTS_FILE, FindingCluster.class);
  }

  private static JsonNode summary() throws IOException {
    return Json.MAPPER.readTree(out.resolve("summary.json").toFile());
  }

  @Test
  @Order(1)
  void theDemoReportsEveryPlantedIssueAndNothingElse() throws IOException {
    firstRunConsole = runCli(Converge.EXIT_OK, "review-demo", "--out", out.toString());

    List<ReviewDemo.Planted> planted = ReviewDemo.planted(input());
    List<FindingCluster> reported = results().stream().filter(FindingCluster::reported).toList();
    ReviewDemo.Score score = ReviewDemo.score(reported, planted);
    System.out.println("review demo: " + score.describe());
    assertEquals(4, planted.size());
    assertEquals(1.0, score.recall(), "every planted issue is reported: " + reported);
    assertEquals(1.0, score.precision(), "nothing but planted issues is reported: " + reported);
    assertTrue(firstRunConsole.contains("converged: precision 1.00"), firstRunConsole);
    assertTrue(firstRunConsole.contains("recall 1.00 (4 of 4 planted issues reported)"), firstRunConsole);
    for (FindingCluster finding : reported) {
      assertEquals(ClusterState.CONFIRMED, finding.state(), finding.toString());
      assertTrue(finding.newFinding());
    }
  }

  @Test
  @Order(2)
  void theNoisyReviewersFalsePositivesAreFilteredByQuorumAndVerification() throws IOException {
    List<FindingCluster> clusters = results();
    Map<String, ReviewDemo.Score> alone = ReviewDemo.scoreReviewers(clusters, ReviewDemo.planted(input()));
    System.out.println("noisy alone: " + alone.get("noisy").describe());
    assertTrue(alone.get("noisy").precision() < 0.5, "the noisy reviewer is noisy: " + alone.get("noisy"));
    assertEquals(1.0, alone.get("noisy").recall());
    long noQuorum = clusters.stream().filter(c -> c.state() == ClusterState.NO_QUORUM).count();
    assertTrue(noQuorum >= 10, "false positives stopped by the quorum: " + noQuorum);
    assertTrue(
        clusters.stream()
            .filter(c -> c.state() == ClusterState.NO_QUORUM)
            .allMatch(c -> c.reviewers().equals(List.of("noisy"))));
    FindingCluster refuted =
        clusters.stream().filter(c -> c.state() == ClusterState.REFUTED).findFirst().orElseThrow();
    assertEquals("service/tests/test_users.py", refuted.fileKey());
    assertEquals(List.of("noisy", "semantic"), refuted.reviewers(), "reached the quorum, then refuted");
    assertTrue(refuted.reason().startsWith("skeptic refuted it: a placeholder credential"), refuted.reason());

    JsonNode summary = summary();
    assertEquals("review", summary.get("kind").asText());
    assertEquals(9, summary.get("files").asInt());
    assertEquals(30, summary.get("reviewerCalls").asInt(), "10 chunks (reports.py has 2) x 3 reviewers");
    assertEquals(0, summary.get("failedReviewerCalls").asInt());
    assertEquals(5, summary.get("verifierCalls").asInt(), "4 real issues and the test fixture reached the quorum");
    assertEquals(4, summary.get("findings").asInt());
    assertEquals(3, summary.get("newBySeverity").get("high").asInt());
    assertEquals(4, Files.readAllLines(out.resolve("findings.jsonl")).size());
    String board = Files.readString(out.resolve("board.html"));
    assertTrue(board.contains("Findings (4)") && board.contains("Content-Security-Policy"), "board.html");
    assertFalse(board.contains("<script"), "the findings view needs no script");
    Files.delete(out.resolve("board.html"));
    runCli(Converge.EXIT_OK, "board", out.toString());
    assertTrue(Files.readString(out.resolve("board.html")).contains("Findings (4)"), "converge board rebuilds the findings view");
  }

  @Test
  @Order(3)
  void findingsSarifIsValidSarif210() throws IOException {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(Json.MAPPER.readTree(SARIF_SCHEMA.toFile()));
    JsonNode sarif = Json.MAPPER.readTree(out.resolve("findings.sarif").toFile());

    assertEquals(Set.of(), schema.validate(sarif));
    assertEquals(2, sarif.get("runs").size(), "one run per target");
    int results = 0;
    for (JsonNode run : sarif.get("runs")) {
      results += run.get("results").size();
      for (JsonNode result : run.get("results")) {
        assertFalse(result.at("/partialFingerprints/convergeFindingHash~1v1").asText().isEmpty());
        assertTrue(result.at("/locations/0/physicalLocation/region/startLine").asInt() > 0);
      }
    }
    assertEquals(4, results);
  }

  @Test
  @Order(4)
  void aSecondRunAfterFixingOneFileReviewsOnlyThatFileAndDropsTheFixedIssue() throws IOException {
    Path users = input().resolve("security-review/service/app/users.py");
    Files.writeString(
        users,
        Files.readString(users)
            .replace(
                "    query = \"SELECT id, email FROM users WHERE name = '\" + name + \"'\"\n    cursor.execute(query)\n",
                "    cursor.execute(\"SELECT id, email FROM users WHERE name = ?\", (name,))\n"));
    assertFalse(Files.readString(users).contains("+ name +"), "the demo's users.py changed; update this test");

    String console =
        runCli(Converge.EXIT_OK, "review", input().resolve("security-review.yaml").toString(), "--out", out.toString(), "--fail-on", "high");

    JsonNode summary = summary();
    assertEquals(3, summary.get("reviewerCalls").asInt(), "one chunk of users.py x 3 reviewers");
    assertEquals(1, summary.get("filesReviewed").asInt());
    assertEquals(8, summary.get("filesUnchanged").asInt());
    List<ReviewCall> calls = ReviewOutputs.readLines(out.toString(), ReviewOutputs.CALLS_FILE, ReviewCall.class);
    assertEquals(3, calls.size());
    assertTrue(calls.stream().allMatch(c -> c.fileKey().equals("service/app/users.py")), calls.toString());

    List<FindingCluster> clusters = results();
    FindingCluster sql = clusters.stream().filter(c -> c.rule().equals("sql-injection") && c.startLine() == 14).findFirst().orElseThrow();
    assertEquals(ClusterState.FIXED, sql.state());
    assertEquals(3, clusters.stream().filter(c -> c.state() == ClusterState.CARRIED).count());
    assertEquals(3, summary.get("findings").asInt());
    assertEquals(0, summary.get("newFindings").asInt());
    assertEquals(1, summary.get("fixed").asInt());
    JsonNode sarif = Json.MAPPER.readTree(out.resolve("findings.sarif").toFile());
    List<String> ruleIds = new java.util.ArrayList<>();
    for (JsonNode run : sarif.get("runs")) {
      run.get("results").forEach(r -> ruleIds.add(r.get("ruleId").asText()));
    }
    ruleIds.sort(null);
    assertEquals(List.of("copyleft-license", "hardcoded-secret", "path-traversal"), ruleIds, "the fixed issue left findings.sarif");
    assertFalse(Files.readString(out.resolve("findings.jsonl")).contains("sql-injection"));
    assertTrue(console.contains("fixed"), console);
  }

  @Test
  @Order(5)
  void aNewHighSeverityFindingMakesTheNightlyExitCodeThree() throws IOException {
    Path cache = input().resolve("security-review/service/app/cache.py");
    Files.writeString(cache, "\"\"\"Cache client.\"\"\"\nREDIS_PASSWORD = \"r3dis-Pr0duction-Passw0rd-2026\"\n");
    Files.delete(input().resolve("security-review/service/app/files.py"));

    runCli(ReviewCommand.EXIT_NEW_FINDINGS, "review", input().resolve("security-review.yaml").toString(), "--out", out.toString(), "--fail-on", "high");

    JsonNode summary = summary();
    assertEquals(3, summary.get("reviewerCalls").asInt(), "only the new file");
    assertEquals(1, summary.get("newFindings").asInt());
    assertEquals(1, summary.get("filesDeleted").asInt());
    List<FindingCluster> clusters = results();
    assertTrue(clusters.stream().anyMatch(c -> c.fileKey().equals("service/app/cache.py") && c.state() == ClusterState.CONFIRMED && c.newFinding()));
    assertTrue(clusters.stream().anyMatch(c -> c.fileKey().equals("service/app/files.py") && c.state() == ClusterState.FIXED));
  }
}
