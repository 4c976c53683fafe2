package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.pipelines.specdriven.RunDiff;
import dev.converge.pipelines.specdriven.RunDiff.Change;
import dev.converge.pipelines.specdriven.RunDiff.TaskDiff;
import dev.converge.pipelines.specdriven.SpecInit;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Violation;
import dev.converge.transforms.report.Summaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec-driven development end to end, offline, on the demo's textkit repository: {@code spec init}
 * with the example planner, {@code plan}, {@code run --plan} (constraint violation and drift
 * rejection included), the refusal of a stale plan, a spec edit that re-runs only the edited task,
 * and {@code diff}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpecDrivenEndToEndTest {
  private static final String INTENT =
      "Fix slugify, word counts and ordinals, and add truncate and roman numerals";

  @TempDir static Path dir;
  private static Path specDir;
  private static Path spec;
  private static Path plan;

  @BeforeAll
  static void initPlanAndRun() throws Exception {
    Path repo = Demo.materialize(Demo.sources(), dir.resolve("demo-input")).resolveSibling("repo");
    specDir = dir.resolve("spec");
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute("spec", "init", INTENT, "--target", repo.toString(), "--out", specDir.toString()));
    spec = specDir.resolve(SpecInit.SPEC_FILE);
    plan = specDir.resolve("plan.json");
    assertEquals(Converge.EXIT_OK, Converge.execute("plan", spec.toString(), "--out", plan.toString()));
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute("run", spec.toString(), "--plan", plan.toString(), "--out", dir.resolve("out1").toString()));
  }

  private static Map<String, Outcome> outcomes(String out) throws Exception {
    return Summaries.readResults(dir.resolve(out).toString()).stream()
        .collect(Collectors.toMap(o -> o.task().id(), o -> o, (a, b) -> a, TreeMap::new));
  }

  private static JsonNode summary(String out) throws Exception {
    return Json.MAPPER.readTree(dir.resolve(out).resolve("summary.json").toFile());
  }

  @Test
  @Order(1)
  void specInitWritesTheDocumentsAndASpecThatNamesThemAsContext() throws Exception {
    for (String name : SpecInit.DOCUMENTS) {
      assertTrue(Files.size(specDir.resolve(name)) > 0, name);
    }
    String yaml = Files.readString(spec);
    assertTrue(yaml.contains("context: [requirements.md, functional-spec.md, technical-spec.md]"), yaml);
    assertTrue(Files.readString(specDir.resolve("requirements.md")).contains(INTENT));
  }

  @Test
  @Order(2)
  void thePlanListsTasksCallsAndHashesAndHasAView() throws Exception {
    JsonNode json = Json.MAPPER.readTree(plan.toFile());
    assertEquals(5, json.get("tasks").size());
    assertEquals(15, json.get("estimate").get("agentCalls").asInt(), "5 tasks x 3 agents x 1 sample");
    assertTrue(json.get("estimate").get("costUsd").isNull(), "no price table in the spec");
    assertEquals(3, json.get("context").size());
    assertEquals(64, json.get("planHash").asText().length());
    String view = Files.readString(specDir.resolve("plan.html"));
    assertTrue(view.contains("add-truncate") && view.contains("Content-Security-Policy"), view);
  }

  @Test
  @Order(3)
  void theApprovedPlanRunsConstraintsAndDriftRejectTheirCandidates() throws Exception {
    Map<String, Outcome> outcomes = outcomes("out1");
    Map<String, TaskState> states = new TreeMap<>();
    outcomes.forEach((id, o) -> states.put(id, o.state()));
    assertEquals(
        Map.of(
            "add-roman", TaskState.REJECTED,
            "add-truncate", TaskState.REJECTED,
            "fix-ordinal", TaskState.MERGED,
            "fix-slugify", TaskState.MERGED,
            "fix-word-count", TaskState.MERGED),
        states);
    assertEquals(15, summary("out1").get("agentCalls").asInt());

    Violation print = thorough(outcomes.get("add-roman")).violations().get(0);
    assertEquals("constraints.forbiddenPatterns[0]", print.rule());
    assertTrue(print.location().matches("textkit/roman\\.py:\\d+"), print.location());
    Candidate drifting = thorough(outcomes.get("add-truncate"));
    assertEquals("drift.maxFilesOutsideScope", drifting.violations().get(0).rule());
    assertEquals("textkit/_text_util.py", drifting.violations().get(0).location());
    assertEquals(List.of("textkit/_text_util.py"), drifting.drift().unplannedNewFiles());
    assertEquals("not-run", drifting.test().status().label(), "a violating candidate is never tested");
    assertTrue(outcomes.get("add-truncate").reason().contains("drift.maxFilesOutsideScope"));
    for (Outcome o : outcomes.values()) {
      assertEquals(64, o.task().contextHash().length());
      assertEquals(64, o.task().specHash().length());
    }
  }

  @Test
  @Order(4)
  void everyAgentReceivedTheSpecDocuments() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (String name : SpecInit.DOCUMENTS) {
      expected.put(name, sha256(Files.readAllBytes(specDir.resolve(name))));
    }
    List<Path> records;
    try (Stream<Path> files = Files.list(specDir.resolve("agent-inputs"))) {
      records = files.sorted().toList();
    }
    assertEquals(15, records.size(), records.toString());
    for (Path record : records) {
      JsonNode entry = Json.MAPPER.readTree(record.toFile());
      Map<String, String> received = new TreeMap<>();
      entry.get("contextFiles").forEach(f -> received.put(f.get("name").asText(), f.get("sha256").asText()));
      assertEquals(expected, received, record.toString());
      String stdin = entry.get("stdin").asText();
      assertTrue(stdin.startsWith(entry.get("instructions").asText()), stdin);
      for (String name : SpecInit.DOCUMENTS) {
        assertTrue(stdin.contains("===== " + name + " =====\n"), name + " on stdin of " + record);
      }
      assertFalse(entry.get("contextDir").asText().isEmpty());
    }
  }

  @Test
  @Order(5)
  void aSpecEditRefusesTheOldPlanThenReRunsOnlyTheEditedTask() throws Exception {
    String yaml = Files.readString(spec);
    String edited =
        yaml.replace("      files: [textkit/wrap.py]\n", "      files: [textkit/wrap.py, textkit/_text_util.py]\n");
    assertFalse(edited.equals(yaml));
    Files.writeString(spec, edited);

    StringWriter err = new StringWriter();
    int refused =
        Converge.commandLine()
            .setErr(new PrintWriter(err))
            .execute("run", spec.toString(), "--plan", plan.toString(), "--out", dir.resolve("stale").toString());
    assertEquals(Converge.EXIT_BAD_INPUT, refused);
    assertTrue(err.toString().contains("no longer matches") && err.toString().contains("the spec file changed"), err.toString());
    assertFalse(Files.exists(dir.resolve("stale").resolve("results.jsonl")), "nothing ran");

    assertEquals(Converge.EXIT_OK, Converge.execute("plan", spec.toString(), "--out", plan.toString()));
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute(
            "run", spec.toString(), "--plan", plan.toString(),
            "--out", dir.resolve("out2").toString(), "--cache", dir.resolve("out1").resolve("cache").toString()));
    JsonNode summary = summary("out2");
    assertEquals(3, summary.get("agentCalls").asInt(), "only add-truncate's 3 agents ran again");
    assertEquals(12, summary.get("cacheHits").asInt(), "4 unchanged tasks x 3 answers from the first run's cache");
    assertEquals(TaskState.MERGED, outcomes("out2").get("add-truncate").state());

    List<TaskDiff> diff =
        RunDiff.compare(List.copyOf(outcomes("out1").values()), List.copyOf(outcomes("out2").values()));
    TaskDiff truncate = diff.stream().filter(d -> d.task().equals("add-truncate")).findFirst().orElseThrow();
    assertEquals(Change.CHANGED, truncate.change());
    assertTrue(truncate.rerun());
    assertTrue(truncate.why().get(0).startsWith("files changed: [textkit/wrap.py] -> [textkit/wrap.py, textkit/_text_util.py]"), truncate.why().toString());
    assertEquals(1, diff.stream().filter(TaskDiff::rerun).count());
    assertEquals(4, diff.stream().filter(d -> d.change() == Change.SAME).count());
    assertEquals(
        Converge.EXIT_OK, Converge.execute("diff", dir.resolve("out1").toString(), dir.resolve("out2").toString()));
  }

  private static Candidate thorough(Outcome outcome) {
    return outcome.candidates().stream().filter(c -> c.agentId().equals("thorough")).findFirst().orElseThrow();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
