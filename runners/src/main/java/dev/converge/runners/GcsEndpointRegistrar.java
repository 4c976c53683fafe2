package dev.converge.runners;

import java.util.List;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Carries {@code --gcs-endpoint} to Flink's workers. Beam's own {@code GcsOptions.gcsEndpoint} is
 * not serialized with the pipeline options (it is {@code @JsonIgnore}), so on a TaskManager gs://
 * paths would go to Google's endpoint. This registrar adds no file system: when Beam sets up the
 * file systems of a job from its options, on the client and on every worker, it copies the endpoint
 * from {@link Options} into {@code GcsOptions}, before the GCS client (made lazily, at the first
 * gs:// call) reads it. Listed in META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar.
 */
public final class GcsEndpointRegistrar implements FileSystemRegistrar {

  /** The serialized copy of {@code --gcs-endpoint}. */
  public interface Options extends PipelineOptions {
    @Description("GCS endpoint for gs:// paths (--gcs-endpoint), copied into GcsOptions on every worker.")
    @Default.String("")
    String getConvergeGcsEndpoint();

    void setConvergeGcsEndpoint(String value);
  }

  @Override
  public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
    if (options != null) {
      String endpoint = options.as(Options.class).getConvergeGcsEndpoint();
      GcsOptions gcs = options.as(GcsOptions.class);
      if (endpoint != null && !endpoint.isEmpty() && gcs.getGcsEndpoint() == null) {
        gcs.setGcsEndpoint(endpoint);
      }
    }
    return List.of();
  }
}
