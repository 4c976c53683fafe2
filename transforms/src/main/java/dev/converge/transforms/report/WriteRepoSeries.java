package dev.converge.transforms.report;

import dev.converge.transforms.reduce.MergedSeries;
import java.io.IOException;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes {@code repos/<repo>.mbox} for every repository with merged tasks: one commit per merged
 * task in task-id order, as {@code git format-patch} mails; {@code git am} applies the whole
 * combined change to the repository's base commit.
 */
public final class WriteRepoSeries extends PTransform<PCollection<MergedSeries>, PDone> {
  /** The folder, inside the output folder, that holds the per-repository files. */
  public static final String FOLDER = "repos";

  private final String outputDir;

  private WriteRepoSeries(String outputDir) {
    this.outputDir = outputDir;
  }

  public static WriteRepoSeries to(String outputDir) {
    return new WriteRepoSeries(Objects.requireNonNull(outputDir, "outputDir"));
  }

  /** The path of a repository's mbox, relative to the output folder. */
  public static String mboxPath(String target) {
    return FOLDER + "/" + target + ".mbox";
  }

  @Override
  public PDone expand(PCollection<MergedSeries> series) {
    series.apply("WriteMboxFiles", ParDo.of(new WriteMboxFn(outputDir)));
    return PDone.in(series.getPipeline());
  }

  static final class WriteMboxFn extends DoFn<MergedSeries, Void> {
    private final String outputDir;

    WriteMboxFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element MergedSeries series) throws IOException {
      OutputFiles.write(
          OutputFiles.resolve(outputDir, mboxPath(series.target())), series.mbox());
    }
  }
}
