package dev.converge.transforms.report;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import java.io.IOException;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes {@code results.jsonl}: one JSON object per task with its state, reason and every
 * candidate. Lines are in no particular order here; {@link Summaries} sorts them by task id when
 * the job ends.
 *
 * <p>All lines go to one key and one DoFn writes the file once, atomically ({@link
 * OutputFiles#write}: a temporary file renamed), so a retried bundle writes the same file again.
 * {@code TextIO} would do the same in 27 of the job's 56 transforms, and the Direct Runner's
 * monitor loop visits every transform on every turn (bench-agents: see docs/agents.md). The
 * launcher reads the whole file back anyway, so one file in one worker's memory is no new limit.
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
    outcomes
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(Json::line))
        .apply("OneFile", WithKeys.<Void, String>of((Void) null))
        .setCoder(KvCoder.of(VoidCoder.of(), StringUtf8Coder.of()))
        .apply("GatherLines", GroupByKey.create())
        .apply("WriteFile", ParDo.of(new WriteFileFn(OutputFiles.resolve(outputDir, FILE_NAME))));
    return PDone.in(outcomes.getPipeline());
  }

  /** Writes all lines of the one group to {@code path}. */
  static final class WriteFileFn extends DoFn<KV<Void, Iterable<String>>, Void> {
    private final String path;

    WriteFileFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element KV<Void, Iterable<String>> lines) throws IOException {
      OutputFiles.write(path, String.join("\n", lines.getValue()) + "\n");
    }
  }
}
