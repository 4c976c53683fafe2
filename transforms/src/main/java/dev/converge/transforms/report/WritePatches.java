package dev.converge.transforms.report;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import java.io.IOException;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** Writes {@code patches/<task>.patch} for every merged task. */
public final class WritePatches extends PTransform<PCollection<Outcome>, PDone> {
  private final String outputDir;

  private WritePatches(String outputDir) {
    this.outputDir = outputDir;
  }

  public static WritePatches to(String outputDir) {
    return new WritePatches(Objects.requireNonNull(outputDir, "outputDir"));
  }

  @Override
  public PDone expand(PCollection<Outcome> outcomes) {
    outcomes.apply("WritePatchFiles", ParDo.of(new WritePatchFn(outputDir)));
    return PDone.in(outcomes.getPipeline());
  }

  static final class WritePatchFn extends DoFn<Outcome, Void> {
    private final String outputDir;

    WritePatchFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element Outcome outcome) throws IOException {
      if (outcome.state() == TaskState.MERGED) {
        OutputFiles.write(
            OutputFiles.resolve(outputDir, "patches/" + outcome.task().id() + ".patch"),
            PatchFormatter.format(outcome));
      }
    }
  }
}
