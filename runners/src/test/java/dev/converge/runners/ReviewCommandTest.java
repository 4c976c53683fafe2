package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of review jobs: validate, bad flags, and a change spec given to review. */
class ReviewCommandTest {
  private static final Path EXAMPLE = Path.of("..", "specs", "examples", "security-review.yaml");

  @TempDir Path tmp;

  @Test
  void validateChecksAReviewSpecWithoutCallingAnyAgent() {
    assertEquals(Converge.EXIT_OK, Converge.execute("validate", EXAMPLE.toString()));
  }

  @Test
  void badInputExitsWithCodeTwo() throws Exception {
    assertEquals(
        Converge.EXIT_BAD_INPUT,
        Converge.execute("review", EXAMPLE.toString(), "--out", tmp.toString(), "--fail-on", "severe"));
    Path change = tmp.resolve("change.yaml");
    Files.writeString(
        change,
        """
        name: c
        kind: change
        targets: [{path: repo}]
        plan: {tasks: [{id: t, instructions: x}]}
        agents: [{id: a, type: command, command: [x]}]
        test: {command: "true"}
        """);
    assertEquals(Converge.EXIT_BAD_INPUT, Converge.execute("review", change.toString(), "--out", tmp.toString()));
    Path noFiles = tmp.resolve("empty.yaml");
    Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(
        noFiles,
        """
        name: e
        kind: review
        targets: [{path: empty}]
        rules: [{id: r, title: t}]
        agents: [{id: a, type: command, command: [x]}]
        reviewers: [{agent: a}]
        """);
    assertEquals(Converge.EXIT_BAD_INPUT, Converge.execute("validate", noFiles.toString()));
  }
}
