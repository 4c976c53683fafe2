package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.report.Summaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent calls through the CLI: a re-run of a finished spec answers every call from the cache and
 * writes the same results; {@code --record} and a {@code replay} agent; a budget that runs out.
 */
class AgentCallsEndToEndTest {
  @TempDir static Path dir;
  private static Path spec;

  private static final String AGENTS =
      """
      agents:
        - {id: sim, type: simulated, seed: 4, wrongRate: 0.4, latencyMs: 20, concurrency: 16}
        - {id: editor, type: command, command: [sh, -c, 'echo "$CONVERGE_SAMPLE" >> a.txt']}
      implement:
        samples: 2
      """;

  @BeforeAll
  static void createRepoAndRunOnce() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("a.txt"), "one\n");
    Cli.run(repo, "git", "init", "-q");
    Cli.run(repo, "git", "add", ".");
    Cli.run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    spec = write("calls.yaml", AGENTS);
    assertEquals(Converge.EXIT_OK, Converge.execute("run", spec.toString(), "--out", dir.resolve("out").toString()));
  }

  private static Path write(String name, String agentsAndMore) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        name: calls
        kind: change
        targets:
          - path: repo
        plan:
          tasks:
            - {id: t1, instructions: first, files: [a.txt]}
            - {id: t2, instructions: second, files: [a.txt]}
        test:
          command: 'true'
        """
            + agentsAndMore);
    return file;
  }

  private static JsonNode summary(Path out) throws Exception {
    return Json.MAPPER.readTree(out.resolve("summary.json").toFile());
  }

  /** results.jsonl without what changes from run to run: the cached flags and test timings. */
  private static List<JsonNode> comparable(Path out) throws Exception {
    return ResultsFiles.without(out, List.of("cached"), List.of("durationMs", "startedAtMs"));
  }

  @Test
  void aRerunOfTheSameSpecMakesNoAgentCallAndWritesTheSameResults() throws Exception {
    Path out = dir.resolve("out");
    JsonNode first = summary(out);
    List<JsonNode> firstResults = comparable(out);
    byte[] firstPatch = Files.readAllBytes(out.resolve("patches").resolve("t1.patch"));
    assertEquals(8, first.get("agentCalls").asInt());
    assertEquals(0, first.get("cacheHits").asInt());

    assertEquals(Converge.EXIT_OK, Converge.execute("run", spec.toString(), "--out", out.toString()));

    JsonNode second = summary(out);
    assertEquals(0, second.get("agentCalls").asInt());
    assertEquals(first.get("agentCalls").asInt(), second.get("cacheHits").asInt());
    assertEquals(0, second.get("tokens").asLong());
    assertEquals(firstResults, comparable(out));
    assertArrayEquals(firstPatch, Files.readAllBytes(out.resolve("patches").resolve("t1.patch")));
    assertTrue(Files.readString(out.resolve("results.jsonl")).contains("\"cached\":true"));
  }

  @Test
  void theCacheFlagSharesAnswersAcrossOutputFolders() throws Exception {
    Path elsewhere = dir.resolve("elsewhere");
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute(
            "run", spec.toString(), "--out", elsewhere.toString(), "--cache", dir.resolve("out").resolve("cache").toString()));
    assertEquals(0, summary(elsewhere).get("agentCalls").asInt());
    assertEquals(8, summary(elsewhere).get("cacheHits").asInt());
  }

  @Test
  void recordedCallsReplayToTheSameCandidates() throws Exception {
    Path recorded = dir.resolve("recorded");
    Path cassette = dir.resolve("calls.cassette.jsonl");
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute(
            "run", spec.toString(), "--out", recorded.toString(), "--no-cache", "--record", cassette.toString()));
    assertEquals(8, Files.readAllLines(cassette).size());
    assertEquals(8, summary(recorded).get("agentCalls").asInt(), "--no-cache calls every agent");
    assertTrue(Files.notExists(recorded.resolve("cache")));

    Path replaySpec =
        write(
            "replay.yaml",
            """
            agents:
              - {id: sim, type: replay, cassette: calls.cassette.jsonl}
              - {id: editor, type: replay, cassette: calls.cassette.jsonl}
            implement:
              samples: 2
            """);
    Path replayed = dir.resolve("replayed");
    assertEquals(Converge.EXIT_OK, Converge.execute("run", replaySpec.toString(), "--out", replayed.toString()));
    List<Outcome> live = Summaries.readResults(recorded.toString());
    List<Outcome> again = Summaries.readResults(replayed.toString());
    for (int i = 0; i < live.size(); i++) {
      assertEquals(live.get(i).state(), again.get(i).state());
      assertEquals(live.get(i).patch(), again.get(i).patch());
      for (int c = 0; c < live.get(i).candidates().size(); c++) {
        assertEquals(live.get(i).candidates().get(c).patchHash(), again.get(i).candidates().get(c).patchHash());
        assertEquals("replay", again.get(i).candidates().get(c).agentKind());
      }
    }
  }

  @Test
  void whenTheBudgetIsSpentTheRemainingTasksFailWithReasonBudget() throws Exception {
    Path budgetSpec =
        write(
            "budget.yaml",
            """
            agents:
              - {id: sim, type: simulated, model: sim-model, concurrency: 1}
            implement:
              samples: 1
            budget:
              maxTokens: 1
            """);
    Path out = dir.resolve("budget");
    assertEquals(
        Converge.EXIT_OK, Converge.execute("run", budgetSpec.toString(), "--out", out.toString(), "--no-cache"));
    List<Outcome> outcomes = Summaries.readResults(out.toString());
    // One call at a time: the first call spends the budget, the other task's call is never made.
    Outcome called = outcomes.stream().filter(o -> o.state() != TaskState.FAILED).findFirst().orElseThrow();
    Outcome refused = outcomes.stream().filter(o -> o.state() == TaskState.FAILED).findFirst().orElseThrow();
    assertEquals(TaskState.MERGED, called.state());
    assertTrue(refused.reason().startsWith("budget: the job's budget of 1 tokens is spent"), refused.reason());
    JsonNode summary = summary(out);
    assertEquals(1, summary.get("agentCalls").asInt());
    assertTrue(summary.get("tokens").asLong() > 0);
  }
}
