package dev.converge.transforms.review;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.report.OutputFiles;
import java.util.Objects;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes one JSON line per element to {@code <outputDir>/<name>.jsonl}, in no particular order
 * ({@link ReviewOutputs} sorts the files when the job ends).
 */
public final class WriteJsonLines<T> extends PTransform<PCollection<T>, PDone> {
  private final String outputDir;
  private final String name;

  private WriteJsonLines(String outputDir, String name) {
    this.outputDir = outputDir;
    this.name = name;
  }

  public static <T> WriteJsonLines<T> to(String outputDir, String name) {
    return new WriteJsonLines<>(Objects.requireNonNull(outputDir, "outputDir"), Objects.requireNonNull(name, "name"));
  }

  @Override
  public PDone expand(PCollection<T> elements) {
    return elements
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via((T element) -> Json.line(element)))
        .apply(
            "WriteJsonLines",
            TextIO.write().to(OutputFiles.resolve(outputDir, name)).withSuffix(".jsonl").withoutSharding());
  }
}
