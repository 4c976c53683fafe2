package dev.converge.transforms.report.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.transforms.model.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningTasksTest {
  @Test
  void aTaskMovesThroughTheStagesAsItsAttemptsAndTestsFinish() {
    assertEquals(BoardColumn.PLANNED, RunningTasks.columnOf(0, 0, 3));
    assertEquals(BoardColumn.IMPLEMENTING, RunningTasks.columnOf(2, 0, 3));
    assertEquals(BoardColumn.TESTING, RunningTasks.columnOf(3, 1, 3));
    assertEquals(BoardColumn.VERIFYING, RunningTasks.columnOf(3, 3, 3));
  }

  @Test
  void everyPlannedTaskGetsACardEvenWithoutMetrics() {
    List<Task> tasks = List.of(BoardFixtures.task("a", "r"), BoardFixtures.task("b", "r"));
    List<BoardCard> cards = RunningTasks.cards(tasks, 2, Map.of("a", 1L), Map.of());
    assertEquals(List.of(BoardColumn.IMPLEMENTING, BoardColumn.PLANNED), cards.stream().map(BoardCard::column).toList());
    assertEquals("1 of 2 agent calls done", cards.get(0).progress());
  }

  @Test
  void aRunningCardCannotSitInAnEndColumn() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BoardCard.running(BoardFixtures.task("a", "r"), BoardColumn.MERGED, ""));
  }
}
