package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Repair;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.report.Summaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the offline demo through the CLI on the Direct Runner and checks every task's state. */
class DemoEndToEndTest {
  /** The states EXPECTED.md in specs/examples/demo promises. */
  private static final Map<String, TaskState> EXPECTED =
      Map.of(
          "fix-slugify", TaskState.MERGED,
          "fix-word-count", TaskState.MERGED,
          "fix-ordinal", TaskState.MERGED,
          "add-truncate", TaskState.MERGED,
          "add-roman", TaskState.REJECTED,
          "docstring-count_words", TaskState.MERGED,
          "docstring-make_slug", TaskState.MERGED);

  @TempDir static Path out;
  private static List<Outcome> outcomes;

  @BeforeAll
  static void runDemo() throws IOException {
    int exit = Converge.execute("demo", "--out", out.toString());
    assertEquals(Converge.EXIT_OK, exit, "converge demo exit code");
    outcomes = Summaries.readResults(out.toString());
  }

  @Test
  void everyTaskEndsInTheExpectedState() {
    Map<String, TaskState> actual =
        outcomes.stream()
            .collect(Collectors.toMap(o -> o.task().id(), Outcome::state, (a, b) -> a, TreeMap::new));
    assertEquals(new TreeMap<>(EXPECTED), actual);
  }

  @Test
  void summaryCountsEveryTaskOnce() throws IOException {
    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    assertEquals("demo-textkit", summary.get("spec").asText());
    assertEquals("direct", summary.get("runner").asText());
    assertEquals(7, summary.get("tasks").asInt());
    assertEquals(6, summary.get("states").get("merged").asInt());
    assertEquals(1, summary.get("states").get("rejected").asInt());
    assertEquals(0, summary.get("states").get("conflict").asInt());
    assertEquals(0, summary.get("states").get("failed").asInt());
    assertEquals(
        31,
        summary.get("agentCalls").asInt(),
        "7 tasks x 3 agents x 1 sample, 2 repairs, 8 verifications (6 winners, the repaired patch twice)");
    assertEquals(8, summary.get("verifications").asInt());
    assertEquals(2, summary.get("repairs").asInt());
    assertEquals(0, summary.get("cacheHits").asInt());
    assertTrue(summary.get("wallSeconds").asDouble() > 0);
    assertEquals(7, Files.readAllLines(out.resolve("results.jsonl")).size());
  }

  @Test
  void theCrashingAgentIsRecordedAsAFailedCandidate() {
    Outcome wordCount = outcome("fix-word-count");
    assertTrue(
        wordCount.candidates().stream()
            .anyMatch(c -> c.agentId().equals("hasty") && c.reason().contains("exited with code 3")),
        wordCount.candidates().toString());
  }

  @Test
  void theVerifierRejectsAPatchThatPassedTheTests() {
    Outcome roman = outcome("add-roman");
    Candidate hasty =
        roman.candidates().stream().filter(c -> c.agentId().equals("hasty")).findFirst().orElseThrow();
    assertTrue(hasty.passedTests(), "hasty's special-casing passes the tests: " + hasty.whatHappened());
    Verification verdict = roman.verifications().get(0);
    assertEquals(hasty.patchHash(), verdict.patchHash());
    assertTrue(verdict.valid() && !verdict.accepted(), verdict.toString());
    assertTrue(verdict.reasons().get(0).contains("MCMXCIV"), verdict.reasons().toString());
    assertTrue(verdict.locations().get(0).startsWith("textkit/roman.py:"), verdict.locations().toString());
    // The fixer was asked, knew no better, and the task stays rejected with the verdict as reason.
    assertEquals(1, roman.repairs().size());
    assertTrue(roman.reason().startsWith("verifier reviewer rejected"), roman.reason());
  }

  @Test
  void aRepairRoundFixesATaskWhoseCandidatesAllFailedTheTests() {
    Outcome truncate = outcome("add-truncate");
    assertTrue(truncate.candidates().stream().noneMatch(Candidate::passedTests));
    assertEquals(1, truncate.repairs().size());
    Repair repair = truncate.repairs().get(0);
    assertEquals("fixer", repair.candidate().agentId());
    assertTrue(repair.feedback().contains("failed the tests"), repair.feedback());
    assertTrue(repair.candidate().passedTests(), repair.candidate().whatHappened());
    assertEquals(repair.candidate().patch(), truncate.patch());
    List<Verification> ofRepair =
        truncate.verifications().stream().filter(v -> v.patchHash().equals(repair.candidate().patchHash())).toList();
    assertEquals(2, ofRepair.size(), "a repaired patch needs two acceptances: " + ofRepair);
    assertTrue(ofRepair.stream().allMatch(v -> v.accepted() && v.round() == 1), ofRepair.toString());
  }

  @Test
  void mergedPatchesApplyToTheDemoRepositoryAndPassTheirTests() throws Exception {
    Path repo = out.resolve(Demo.INPUT_FOLDER).resolve("repo");
    for (Outcome outcome : outcomes) {
      Path patch = out.resolve("patches").resolve(outcome.task().id() + ".patch");
      assertEquals(
          outcome.state() == TaskState.MERGED, Files.exists(patch), "patch file of " + outcome.task().id());
      if (outcome.state() != TaskState.MERGED) {
        continue;
      }
      Path checkout = out.resolve("check-" + outcome.task().id());
      Cli.run(out, "git", "clone", "--quiet", repo.toString(), checkout.toString());
      Cli.run(checkout, "git", "apply", "--check", patch.toString());
      Cli.run(checkout, "git", "apply", patch.toString());
      Cli.run(checkout, "sh", "-c", outcome.task().testCommand());
    }
  }

  @Test
  void theUsersRepositoryIsNotModified() throws Exception {
    Path repo = out.resolve(Demo.INPUT_FOLDER).resolve("repo");
    assertEquals("", Cli.run(repo, "git", "status", "--porcelain").strip());
    assertEquals("1", Cli.run(repo, "git", "rev-list", "--count", "--all").strip());
  }

  private static Outcome outcome(String taskId) {
    return outcomes.stream().filter(o -> o.task().id().equals(taskId)).findFirst().orElseThrow();
  }
}
