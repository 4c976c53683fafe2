package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.OutputFiles;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.Summary;
import dev.converge.transforms.report.WriteResults;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Reads a finished job's board from its output folder and writes {@code board.html} into it. */
public final class BoardFiles {
  public static final String FILE_NAME = "board.html";

  private BoardFiles() {}

  /** Writes {@code board.html} into {@code outputDir} and returns its path. */
  public static String write(String outputDir, Board board) throws IOException {
    String path = OutputFiles.resolve(outputDir, FILE_NAME);
    OutputFiles.write(path, BoardPage.render(board));
    return path;
  }

  /**
   * The board of the job whose outputs are in {@code outputDir}, from its {@code results.jsonl} and
   * {@code summary.json}.
   *
   * @throws IllegalArgumentException when either file is missing
   */
  public static Board readEnded(String outputDir) throws IOException {
    String summaryPath = OutputFiles.resolve(outputDir, Summaries.SUMMARY_FILE);
    for (String path : List.of(OutputFiles.resolve(outputDir, WriteResults.FILE_NAME), summaryPath)) {
      if (FileSystems.match(path).status() != MatchResult.Status.OK) {
        throw new IllegalArgumentException(path + " does not exist; is " + outputDir + " a Converge output folder?");
      }
    }
    Summary summary = Json.MAPPER.readValue(OutputFiles.read(summaryPath), Summary.class);
    List<Outcome> outcomes = Summaries.readResults(outputDir);
    return Board.ended(summary, outcomes);
  }
}
