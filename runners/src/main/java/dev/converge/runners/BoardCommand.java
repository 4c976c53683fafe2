package dev.converge.runners;

import dev.converge.transforms.report.board.BoardFiles;
import dev.converge.transforms.review.ReviewOutputs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code converge board OUT_DIR}: (re)writes the board of a finished job from its output folder. */
@Command(
    name = "board",
    mixinStandardHelpOptions = true,
    description = {
      "Writes OUT_DIR/board.html from OUT_DIR/results.jsonl and OUT_DIR/summary.json: one",
      "self-contained HTML page (no network) with a Kanban column per state, a card per task",
      "and charts. Every run writes it too; this rebuilds it, for example after an upgrade."
    })
final class BoardCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "OUT_DIR",
      description = "The output folder of a job (a local folder or a URL such as gs://bucket/out).")
  String outputDir;

  @Override
  public Integer call() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    String dir = outputDir.contains("://") ? outputDir : Path.of(outputDir).toAbsolutePath().normalize().toString();
    // A review job's board is its findings view.
    String path =
        ReviewOutputs.isReviewOutput(dir)
            ? ReviewOutputs.rewriteBoard(dir)
            : BoardFiles.write(dir, BoardFiles.readEnded(dir));
    System.out.println("board: " + path);
    return Converge.EXIT_OK;
  }
}
