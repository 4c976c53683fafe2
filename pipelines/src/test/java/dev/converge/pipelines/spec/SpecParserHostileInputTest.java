package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs built to exhaust the parser must fail fast with a {@link SpecException}. The timeouts are
 * hang guards, not performance targets.
 */
class SpecParserHostileInputTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  private static List<SpecError> errorsWithin(Executable parse) {
    return assertTimeoutPreemptively(
        HANG_GUARD, () -> assertThrows(SpecException.class, parse).errors());
  }

  private static List<SpecError> errorsWithin(String yaml) {
    return errorsWithin(() -> SpecParser.parse(yaml, "hostile.yaml"));
  }

  @Test
  void refusesAnAliasBomb() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 30; level++) {
      String aliases = String.join(", ", Collections.nCopies(8, "*a" + (level - 1)));
      yaml.append("a%d: &a%d [%s]\n".formatted(level, level, aliases));
    }

    assertEquals(
        List.of(
            new SpecError(
                "a1[0]",
                "YAML aliases are not supported (found '*a0'); write the value out",
                2,
                10)),
        errorsWithin(yaml.toString()));
  }

  @Test
  void refusesOrdinaryAliasesWithTheirLocation() {
    String yaml =
        """
        name: demo
        agents:
          - {id: a, type: command, command: &cmd [run]}
          - {id: b, type: command, command: *cmd}
        """;

    assertEquals(
        List.of(
            new SpecError(
                "agents[1].command",
                "YAML aliases are not supported (found '*cmd'); write the value out",
                4,
                37)),
        errorsWithin(yaml));
  }

  @Test
  void refusesDeepFlowNesting() {
    String yaml = "name: " + "[".repeat(500_000) + "]".repeat(500_000);

    List<SpecError> errors = errorsWithin(yaml);

    assertEquals(1, errors.size());
    assertEquals("nested deeper than the limit of 32 levels", errors.get(0).message());
  }

  @Test
  void refusesDeepBlockNesting() {
    StringBuilder yaml = new StringBuilder();
    for (int depth = 0; depth < 500; depth++) {
      yaml.append("  ".repeat(depth)).append("k:\n");
    }

    List<SpecError> errors = errorsWithin(yaml.toString());

    assertEquals(1, errors.size());
    assertEquals("nested deeper than the limit of 32 levels", errors.get(0).message());
  }

  @Test
  void refusesHugeText() {
    String yaml = "name: " + "x".repeat(YamlTreeReader.MAX_CHARS);

    assertEquals(
        List.of(new SpecError("", "the spec is longer than the limit of 1048576 characters", 0, 0)),
        errorsWithin(yaml));
  }

  @Test
  void refusesHugeFilesWithoutReadingThem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("huge.yaml");
    Files.writeString(file, "name: " + "x".repeat(YamlTreeReader.MAX_CHARS));

    assertEquals(
        List.of(new SpecError("", "the file is larger than the limit of 1048576 bytes", 0, 0)),
        errorsWithin(() -> SpecParser.parse(file)));
  }

  @Test
  void staysFastOnManyLongUnknownNames() {
    String longName = "x".repeat(200_000);
    String yaml =
        """
        name: demo
        kind: change
        targets: [{path: repo}]
        plan: {tasks: [{id: t, instructions: i}]}
        agents: [{id: a%1$s, type: simulated}]
        implement: {agents: [b%1$s]}
        test: {command: make}
        """
            .formatted(longName);

    List<SpecError> errors = errorsWithin(yaml);

    assertEquals(1, errors.size());
    assertEquals("implement.agents[0]", errors.get(0).path());
  }
}
