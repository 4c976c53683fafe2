package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs that are valid, and the records they become. */
class SpecParserTest {

  static Path resource(String name) throws URISyntaxException {
    return Path.of(SpecParserTest.class.getResource("/specs/" + name).toURI());
  }

  @Test
  void parsesTheExampleSpec() throws Exception {
    Spec spec = SpecParser.parse(resource("example.yaml"));

    Spec expected =
        new Spec(
            "demo-textkit",
            "change",
            "Fix the known bugs in textkit",
            List.of(new TargetSpec("textkit", "repo", "HEAD")),
            new PlanSpec(
                List.of(
                    new TaskSpec(
                        "fix-slugify",
                        "slugify() must collapse runs of punctuation into one dash",
                        null,
                        List.of("textkit/slug.py"),
                        "python3 -m unittest -q tests.test_slug")),
                List.of(
                    new FanOutSpec(
                        "textkit/*.py",
                        "docstring-{stem}",
                        "Add a module docstring to {path}",
                        "python3 tools/check_docstring.py {path}"))),
            List.of(
                new AgentSpec(
                    "careful-a",
                    "command",
                    List.of("python3", "{specDir}/agents/codemod.py", "--style", "careful"),
                    60,
                    Map.of("CODEMOD_SEED", "1"),
                    null,
                    null,
                    null),
                new AgentSpec("sim", "simulated", null, null, null, 7L, 50L, 0.2)),
            new ImplementSpec(List.of("careful-a", "sim"), 1, null, null, null),
            new TestSpec("python3 -m unittest discover -s tests -q", 120, null),
            new VoteSpec("majority", null),
            "out");
    assertEquals(expected, spec);
  }

  @Test
  void parsesAMinimalSpecAndDerivesTheTargetId() throws Exception {
    Spec spec =
        SpecParser.parse(
            """
            name: minimal
            kind: change
            targets:
              - path: ../repos/textkit/
            plan:
              forEachFile:
                - {glob: "*.py", id: "lint-{name}", instructions: "Lint {path}"}
            agents:
              - {id: sim, type: simulated}
            test:
              command: make test
            """,
            "minimal.yaml");

    assertEquals(List.of(new TargetSpec("textkit", "../repos/textkit/", null)), spec.targets());
    assertEquals(List.of(), spec.plan().tasks());
    assertNull(spec.goal());
    assertNull(spec.implement());
    assertNull(spec.vote());
    assertEquals(new TestSpec("make test", null, null), spec.test());
  }

  @Test
  void readsNumbersAndBooleansAsTheirTextInStringFields() throws Exception {
    Spec spec =
        SpecParser.parse(
            """
            name: 2024
            kind: change
            targets:
              - {path: repo, ref: 0123}
            plan:
              tasks:
                - {id: 7, instructions: yes}
            agents:
              - id: sleepy
                type: command
                command: [sleep, 5, true]
                env: {RETRIES: 3, RATE: 0.5}
            test:
              command: "true"
            """,
            "coercion.yaml");

    assertEquals("2024", spec.name());
    assertEquals("0123", spec.targets().get(0).ref());
    assertEquals(new TaskSpec("7", "yes", null, List.of(), null), spec.plan().tasks().get(0));
    assertEquals(List.of("sleep", "5", "true"), spec.agents().get(0).command());
    assertEquals(Map.of("RETRIES", "3", "RATE", "0.5"), spec.agents().get(0).env());
  }

  @Test
  void treatsEmptyValuesOfOptionalFieldsAsAbsent() throws Exception {
    Spec spec =
        SpecParser.parse(
            """
            name: empty-optionals
            kind: change
            goal:
            targets:
              - {path: repo, ref: ~}
            plan:
              tasks: [{id: t, instructions: do it}]
              forEachFile:
            agents:
              - {id: sim, type: simulated, seed: 0x10, wrongRate: 1}
            test: {command: make, timeoutSeconds: 86400}
            output: null
            """,
            "empty.yaml");

    assertNull(spec.goal());
    assertNull(spec.output());
    assertEquals(new TargetSpec("repo", "repo", null), spec.targets().get(0));
    assertEquals(List.of(), spec.plan().forEachFile());
    assertEquals(
        new AgentSpec("sim", "simulated", null, null, null, 16L, null, 1.0), spec.agents().get(0));
  }

  @Test
  void readsFilesWithAByteOrderMarkAndWindowsLineEnds(@TempDir Path dir) throws Exception {
    String example = Files.readString(resource("example.yaml"));
    Path file = dir.resolve("windows.yaml");
    Files.writeString(file, "\uFEFF" + example.replace("\n", "\r\n"));

    assertEquals(SpecParser.parse(resource("example.yaml")), SpecParser.parse(file));
  }
}
