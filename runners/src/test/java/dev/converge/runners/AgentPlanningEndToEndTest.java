package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.report.Summaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan made by a planner agent, through the CLI: {@code converge plan} asks the planner (a
 * python3 script) for one task per module of a small repository, {@code converge run --plan} runs
 * exactly those tasks without asking it again (its answer is cached) and merges the fixes of the
 * implementing agent; a planner whose answer names a file the repository lacks is a bad input.
 */
class AgentPlanningEndToEndTest {
  /** Plans one task per module of mathkit, with the module's own test; counts its calls. */
  private static final String PLANNER =
      """
      import json, os, sys
      here = os.path.dirname(os.path.abspath(__file__))
      with open(os.path.join(here, "planner-calls.txt"), "a") as calls:
          calls.write("call\\n")
      files = open(os.environ["CONVERGE_FILE_LIST"]).read().split()
      tasks = []
      for f in files:
          name = os.path.basename(f)
          if f.startswith("mathkit/") and name != "__init__.py":
              stem = name[:-3]
              tasks.append({"id": "fix-" + stem,
                            "instructions": os.environ["CONVERGE_GOAL"] + " in " + f,
                            "files": [f],
                            "test": "python3 -m unittest -q tests.test_" + stem})
      print("planned", len(tasks), "tasks", file=sys.stderr)
      print(json.dumps({"tasks": tasks}, indent=2))
      """;

  /** Fixes the known bug of each file of its task. */
  private static final String FIXER =
      """
      import os
      FIXES = {"mathkit/add.py": ("a - b", "a + b"), "mathkit/mul.py": ("a + b", "a * b")}
      for f in os.environ["CONVERGE_FILES"].split():
          old, new = FIXES[f]
          with open(f) as source:
              text = source.read()
          with open(f, "w") as source:
              source.write(text.replace(old, new))
      """;

  @TempDir static Path dir;
  private static Path spec;
  private static JsonNode plan;

  @BeforeAll
  static void planAndRun() throws Exception {
    Path repo = dir.resolve("repo");
    Map<String, String> files =
        Map.of(
            "mathkit/__init__.py", "",
            "mathkit/add.py", "def add(a, b):\n    return a - b\n",
            "mathkit/mul.py", "def mul(a, b):\n    return a + b\n",
            "tests/__init__.py", "",
            "tests/test_add.py",
                "import unittest\nfrom mathkit.add import add\n\nclass T(unittest.TestCase):\n"
                    + "    def test(self):\n        self.assertEqual(5, add(2, 3))\n",
            "tests/test_mul.py",
                "import unittest\nfrom mathkit.mul import mul\n\nclass T(unittest.TestCase):\n"
                    + "    def test(self):\n        self.assertEqual(6, mul(2, 3))\n");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.createDirectories(repo.resolve(file.getKey()).getParent());
      Files.writeString(repo.resolve(file.getKey()), file.getValue());
    }
    Cli.run(repo, "git", "init", "-q");
    Cli.run(repo, "git", "add", ".");
    Cli.run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    Files.writeString(dir.resolve("planner.py"), PLANNER);
    Files.writeString(dir.resolve("fixer.py"), FIXER);
    spec = writeSpec("planned.yaml", "[python3, \"{specDir}/planner.py\"]");

    Path planFile = dir.resolve("plan.json");
    assertEquals(Converge.EXIT_OK, Converge.execute("plan", spec.toString(), "--out", planFile.toString()));
    plan = Json.MAPPER.readTree(planFile.toFile());
    assertEquals(Converge.EXIT_OK, Converge.execute("run", spec.toString(), "--plan", planFile.toString()));
  }

  private static Path writeSpec(String name, String plannerCommand) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        name: planned
        kind: change
        goal: Fix the arithmetic bug
        targets: [{path: repo}]
        plan:
          agent: planner
        agents:
          - {id: planner, type: command, command: %s}
          - {id: fixer, type: command, command: [python3, "{specDir}/fixer.py"]}
        test: {command: "python3 -m unittest discover -s tests -q"}
        """
            .formatted(plannerCommand));
    return file;
  }

  @Test
  void thePlanListsThePlannersTasksAndOnlyTheImplementingAgent() {
    assertEquals(2, plan.get("tasks").size());
    JsonNode add = plan.get("tasks").get(0);
    assertEquals("fix-add", add.get("id").asText());
    assertEquals("Fix the arithmetic bug in mathkit/add.py", add.get("instructions").asText());
    assertEquals("python3 -m unittest -q tests.test_add", add.get("testCommand").asText());
    assertEquals("fix-mul", plan.get("tasks").get(1).get("id").asText());
    assertEquals(List.of("fixer"), plan.get("agents").findValuesAsText("id"));
    assertEquals(2, plan.get("estimate").get("agentCalls").asInt(), "2 tasks x 1 agent x 1 sample");
  }

  @Test
  void theApprovedPlanRunsAndMergesWithoutAskingThePlannerAgain() throws Exception {
    Map<String, TaskState> states = new TreeMap<>();
    for (Outcome o : Summaries.readResults(dir.resolve("out").toString())) {
      states.put(o.task().id(), o.state());
    }
    assertEquals(Map.of("fix-add", TaskState.MERGED, "fix-mul", TaskState.MERGED), states);
    assertEquals(
        1, Files.readAllLines(dir.resolve("planner-calls.txt")).size(), "run read the answer that plan cached");
    assertTrue(Files.isDirectory(dir.resolve("out").resolve("cache").resolve("plans")));
  }

  @Test
  void aPlannerAnswerThatNamesAMissingFileIsABadInputWithoutAStackTrace() throws Exception {
    Path broken =
        writeSpec(
            "broken.yaml",
            "[sh, -c, \"echo '{\\\"tasks\\\": [{\\\"id\\\": \\\"x\\\", \\\"instructions\\\": \\\"y\\\","
                + " \\\"files\\\": [\\\"nope.py\\\"]}]}'\"]");
    StringWriter err = new StringWriter();
    int exit = Converge.commandLine().setErr(new PrintWriter(err)).execute("validate", broken.toString());
    assertEquals(Converge.EXIT_BAD_INPUT, exit, err.toString());
    assertEquals(
        "converge: plan.agent 'planner' on target repo: tasks[0].files[0]: 'nope.py' is not a file of the target",
        err.toString().strip());
    assertFalse(err.toString().contains("Exception"));
  }
}
