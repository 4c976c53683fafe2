package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Task;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line and board, driven by hand-made metric snapshots (no pipeline, no waiting). */
class BoardProgressTest {
  @TempDir Path out;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** Three tasks, two attempts each: one task done implementing, one halfway, one waiting. */
  private static final ProgressSnapshot SNAPSHOT =
      new ProgressSnapshot(Map.of("a", 2L, "b", 1L), Map.of(), 3, 0, OptionalLong.of(2), 0, 0);

  private Progress progress() {
    List<Task> tasks =
        List.of(task("a"), task("b"), task("c"));
    return Progress.of("spec", "direct", out.toString(), tasks, 2, console);
  }

  @Test
  void theLineCountsTasksPerStageCallsInFlightTestsAndCacheHits() {
    String line = progress().line(SNAPSHOT, 67.4);
    assertEquals(
        "converge: 1:07 · tasks: 1 planned, 1 implementing, 1 testing, 0 verifying"
            + " · agent calls 3/6 done, ~2 in flight · tests 0 · cache hits 0",
        line);
  }

  @Test
  void withoutATerminalEachUpdateIsAPlainLine() {
    ProgressWatch watch = new ProgressWatch(progress(), () -> SNAPSHOT, () -> 5);
    watch.printLine();
    watch.printLine();
    watch.close();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, printed.lines().count(), printed);
    assertFalse(printed.chars().anyMatch(c -> c < 0x20 && c != '\n'), "no control characters: " + printed);
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlaceAndEndedWhenTheJobEnds() {
    ProgressWatch watch = new ProgressWatch(progress().withTerminal(true), () -> SNAPSHOT, () -> 5);
    watch.printLine();
    watch.printLine();
    watch.close();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("\rconverge: 0:05"), printed);
    assertEquals(3, printed.chars().filter(c -> c == '\r').count(), "two updates and the final one");
    assertEquals(printed.length() - 1, printed.indexOf('\n'), "one line end, at the very end");
  }

  @Test
  void aFailingMetricsQueryKeepsTheLastCounts() {
    boolean[] fail = {false};
    ProgressWatch watch =
        new ProgressWatch(
            progress(),
            () -> {
              if (fail[0]) {
                throw new IllegalStateException("runner is tearing down");
              }
              return SNAPSHOT;
            },
            () -> 5);
    watch.printLine();
    fail[0] = true;
    watch.printLine();
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(lines.get(0), lines.get(1));
  }

  @Test
  void theLiveBoardShowsRunningTasksInTheirStagesAndReloads() throws Exception {
    new ProgressWatch(progress().withBoardEverySeconds(3), () -> SNAPSHOT, () -> 5).writeBoard();
    String board = Files.readString(out.resolve("board.html"));
    assertTrue(board.contains("<meta http-equiv=\"refresh\" content=\"3\">"), board);
    assertTrue(board.contains("data-task=\"b\" data-state=\"implementing\""), board);
    assertTrue(board.contains("1 of 2 agent calls done"), board);
  }

  private static Task task(String id) {
    return new Task(id, "repo", "/repo", "0".repeat(40), "do " + id, List.of(), "", "true", 60);
  }
}
