package dev.converge.transforms.report;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import java.util.Objects;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes {@code results.jsonl}: one JSON object per task with its state, reason and every
 * candidate. Lines are in no particular order here; {@link Summaries} sorts them by task id when
 * the job ends.
 */
public final class WriteResults extends PTransform<PCollection<Outcome>, PDone> {
  public static final String FILE_NAME = "results.jsonl";

  private final String outputDir;

  private WriteResults(String outputDir) {
    this.outputDir = outputDir;
  }

  public static WriteResults to(String outputDir) {
    return new WriteResults(Objects.requireNonNull(outputDir, "outputDir"));
  }

  @Override
  public PDone expand(PCollection<Outcome> outcomes) {
    return outcomes
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(Json::line))
        .apply(
            "WriteJsonLines",
            TextIO.write()
                .to(OutputFiles.resolve(outputDir, "results"))
                .withSuffix(".jsonl")
                .withoutSharding());
  }
}
