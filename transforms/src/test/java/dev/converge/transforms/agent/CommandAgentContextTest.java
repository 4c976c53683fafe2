package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.ContextDocument;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context documents reach a command agent as files beside its checkout and on standard input. */
class CommandAgentContextTest {
  private static final List<ContextDocument> DOCS =
      List.of(
          new ContextDocument("requirements.md", "# Requirements\n- R1: be correct\n"),
          new ContextDocument("docs/technical-spec.md", "# Technical spec\nstdlib only"),
          new ContextDocument("../escape.md", "stays inside"));

  @TempDir Path dir;

  private static Task task() {
    return new Task("t1", "repo", "/nonexistent", "0".repeat(40), "Do the thing", List.of("a.py"), "goal", "true", 30);
  }

  /** An agent that copies its standard input, its context variables and the files they name. */
  private CommandAgent recorder(Path record) {
    String script =
        "cat > '" + record + "/stdin'; "
            + "printf '%s' \"$CONVERGE_CONTEXT_DIR\" > '" + record + "/dir'; "
            + "printf '%s' \"$CONVERGE_CONTEXT_FILES\" > '" + record + "/files'; "
            + "i=0; printf '%s\\n' \"$CONVERGE_CONTEXT_FILES\" | while read -r f; do "
            + "cp \"$f\" '" + record + "'/doc$i; i=$((i+1)); done";
    return CommandAgent.of("recorder", List.of("sh", "-c", script));
  }

  @Test
  void documentsAreFilesOutsideTheWorktreeAndFollowTheInstructionsOnStdin() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("work").resolve("t1-recorder-0"));
    Path record = Files.createDirectories(dir.resolve("record"));
    ProcessRunner.Result result = recorder(record).withContext(DOCS).implement(task(), 0, worktree);
    assertEquals(0, result.exitCode(), result.outputTail());

    Path contextDir = Path.of(Files.readString(record.resolve("dir")));
    assertFalse(contextDir.startsWith(worktree), "documents must not land in the candidate's diff: " + contextDir);
    assertFalse(Files.exists(contextDir), "the folder is removed after the run");
    List<String> files = Files.readString(record.resolve("files")).lines().toList();
    assertEquals(
        List.of(
            contextDir.resolve("requirements.md").toString(),
            contextDir.resolve("docs/technical-spec.md").toString(),
            contextDir.resolve("2-escape.md").toString()),
        files);
    for (int i = 0; i < DOCS.size(); i++) {
      assertEquals(DOCS.get(i).text(), Files.readString(record.resolve("doc" + i), StandardCharsets.UTF_8));
    }
    String stdin = Files.readString(record.resolve("stdin"));
    assertTrue(stdin.startsWith("Do the thing\n\n" + ContextFiles.STDIN_HEADER + "\n"), stdin);
    assertTrue(stdin.contains("===== requirements.md =====\n# Requirements\n- R1: be correct\n"), stdin);
    assertTrue(stdin.contains("===== docs/technical-spec.md =====\n# Technical spec\nstdlib only\n"), stdin);
    try (var left = Files.list(worktree)) {
      assertEquals(0, left.count(), "nothing written into the worktree");
    }
  }

  @Test
  void withoutDocumentsTheContractIsUnchanged() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("plain"));
    Path record = Files.createDirectories(dir.resolve("record2"));
    recorder(record).implement(task(), 0, worktree);
    assertEquals("Do the thing", Files.readString(record.resolve("stdin")));
    assertEquals("", Files.readString(record.resolve("dir")));
  }

  @Test
  void theDocumentsArePartOfTheFingerprintSoEditingOneInvalidatesCachedAnswers() {
    CommandAgent agent = CommandAgent.of("a", List.of("true"));
    assertEquals(agent.fingerprint(), agent.withContext(List.of()).fingerprint());
    assertNotEquals(agent.fingerprint(), agent.withContext(DOCS).fingerprint());
    assertNotEquals(
        agent.withContext(DOCS).fingerprint(),
        agent.withContext(List.of(new ContextDocument("requirements.md", "changed"))).fingerprint());
    assertEquals(DOCS, agent.withContext(DOCS).withTimeout(java.time.Duration.ofSeconds(5)).context());
  }
}
