package dev.converge.transforms.report.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardFilesTest {
  @TempDir Path dir;

  @Test
  void aBoardIsReadBackFromResultsAndSummaryAndWrittenNextToThem() throws Exception {
    List<Outcome> outcomes = BoardFixtures.threeTasks();
    Files.writeString(
        dir.resolve("results.jsonl"), outcomes.stream().map(Json::line).collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(dir.resolve("summary.json"), Json.pretty(Summary.of("spec-name", "direct", outcomes, 2.0)));

    Board board = BoardFiles.readEnded(dir.toString());
    String path = BoardFiles.write(dir.toString(), board);

    assertEquals(dir.resolve("board.html").toString(), path);
    assertEquals(outcomes, board.outcomes());
    assertEquals(2, board.count(BoardColumn.MERGED));
    assertTrue(Files.readString(dir.resolve("board.html")).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void aFolderWithoutResultsIsABadInput() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BoardFiles.readEnded(dir.toString()));
    assertTrue(e.getMessage().contains("results.jsonl"), e.getMessage());
  }
}
