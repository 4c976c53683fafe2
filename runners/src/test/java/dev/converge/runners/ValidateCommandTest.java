package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's answer to bad input: every problem with its line, exit code 2, no stack trace. */
class ValidateCommandTest {
  @TempDir Path dir;

  @Test
  void misspelledKeyAndWrongTypeAreBothReportedWithLines() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "name: bad",
            "kind: change",
            "targets:",
            "  - path: repo",
            "plan:",
            "  tasks:",
            "    - id: one",
            "      instructions: do it",
            "agents:",
            "  - id: a",
            "    type: command",
            "    command: [sh, -c, 'true']",
            "    timeoutSecond: 60",
            "implement:",
            "  samples: three",
            "test:",
            "  command: 'true'",
            ""));
    StringWriter err = new StringWriter();
    int exit =
        Converge.commandLine().setErr(new PrintWriter(err)).execute("validate", spec.toString());
    String message = err.toString();
    assertEquals(Converge.EXIT_BAD_INPUT, exit, message);
    assertTrue(message.contains("agents[0].timeoutSecond"), message);
    assertTrue(message.contains("did you mean 'timeoutSeconds'"), message);
    assertTrue(message.contains("line 13"), message);
    assertTrue(message.contains("implement.samples"), message);
    assertTrue(message.contains("line 15"), message);
    assertFalse(message.contains("Exception"), "no stack trace for user errors:\n" + message);
  }

  @Test
  void aTargetThatIsNotARepositoryIsABadInput() throws Exception {
    Path spec = dir.resolve("norepo.yaml");
    Files.createDirectories(dir.resolve("plain"));
    Files.writeString(
        spec,
        String.join(
            "\n",
            "name: norepo",
            "kind: change",
            "targets: [{path: plain}]",
            "plan: {tasks: [{id: one, instructions: do it}]}",
            "agents: [{id: a, type: simulated}]",
            "test: {command: 'true'}",
            ""));
    StringWriter err = new StringWriter();
    int exit =
        Converge.commandLine().setErr(new PrintWriter(err)).execute("validate", spec.toString());
    assertEquals(Converge.EXIT_BAD_INPUT, exit, err.toString());
    assertTrue(err.toString().contains("targets[0].path"), err.toString());
  }
}
