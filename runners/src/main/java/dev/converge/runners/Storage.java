package dev.converge.runners;

import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecException;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.pipelines.spec.TargetSpec;
import dev.converge.transforms.report.OutputFiles;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.extensions.gcp.auth.GcpCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a job's files live: local paths or object-store URIs such as {@code gs://bucket/path},
 * read and written through Beam's {@link FileSystems} (the GCS connector serves {@code gs://}).
 *
 * <ul>
 *   <li>The spec file may be remote. It is copied to a local staging folder before planning,
 *       together with the {@code list} files of its targets that are named relative to it; a
 *       remote spec must name its repositories by absolute folder or URL (git repositories stay
 *       local or are cloned).
 *   <li>The output folder may be remote: patches, results, summary and board are written there.
 *   <li>{@code --gcs-endpoint URL} sends GCS calls to another endpoint. An endpoint on this
 *       machine (an emulator, the tests' fake server) gets no credentials; any other endpoint gets
 *       Google's application-default credentials, as GCS itself does.
 * </ul>
 */
final class Storage {
  /** A URI scheme such as {@code gs://}; one letter would be a Windows drive. */
  private static final Pattern REMOTE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+://.*");

  private Storage() {}

  /** True for {@code gs://...} and other URIs that Beam's file systems serve; false for local paths. */
  static boolean isRemote(String path) {
    return path != null && REMOTE.matcher(path).matches() && !path.startsWith("file://");
  }

  /**
   * Points the GCS connector at {@code endpoint} (when given) and registers the file systems, so
   * that the spec and the outputs can be read and written before the pipeline runs.
   */
  static void configure(PipelineOptions options, String endpoint) {
    if (endpoint != null && !endpoint.isBlank()) {
      GcsOptions gcs = options.as(GcsOptions.class);
      gcs.setGcsEndpoint(normalizeEndpoint(endpoint));
      // GcsOptions.gcsEndpoint is not serialized; this copy reaches Flink's workers.
      options.as(GcsEndpointRegistrar.Options.class).setConvergeGcsEndpoint(gcs.getGcsEndpoint());
      gcs.setCredentialFactoryClass(EndpointCredentialFactory.class);
      if (gcs.getProject() == null) {
        gcs.setProject("converge");
      }
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  /** {@code http://host:port} becomes {@code http://host:port/storage/v1/}, the JSON API's root. */
  static String normalizeEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--gcs-endpoint '" + endpoint + "' is not a URL", e);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--gcs-endpoint '" + endpoint + "' is not an http(s) URL such as http://127.0.0.1:4443");
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
        ? "/storage/v1/"
        : uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
    return uri.getScheme() + "://" + uri.getAuthority() + path;
  }

  /** True when {@code endpoint} is on this machine (loopback). */
  static boolean isLocalEndpoint(String endpoint) {
    try {
      String host = new URI(endpoint).getHost();
      if (host == null) {
        return false;
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      // Only literal addresses: a host name is never looked up (no DNS query for a decision).
      boolean literal = host.matches("[0-9.]+") || host.contains(":");
      return literal && InetAddress.getByName(host).isLoopbackAddress();
    } catch (URISyntaxException | UnknownHostException e) {
      return false;
    }
  }

  /** The output folder as the pipeline writes to it: local folders absolute and created. */
  static String outputDir(String outputDir) throws IOException {
    if (isRemote(outputDir)) {
      return outputDir.endsWith("/") ? outputDir.substring(0, outputDir.length() - 1) : outputDir;
    }
    Path local = Path.of(outputDir).toAbsolutePath().normalize();
    Files.createDirectories(local);
    return local.toString();
  }

  /** Reads the spec from wherever it is; errors name the spec's own location. */
  static Spec parse(String spec) throws SpecException, IOException {
    return isRemote(spec) ? SpecParser.parse(read(spec), spec) : SpecParser.parse(Path.of(spec));
  }

  /**
   * The default output folder of a spec: its {@code output} (default {@code out}) next to the spec,
   * in the same place (local folder or bucket).
   */
  static String defaultOutputDir(String spec) throws SpecException, IOException {
    Spec parsed = parse(spec);
    String output = parsed.output() == null ? "out" : parsed.output();
    if (isRemote(output)) {
      return output;
    }
    if (isRemote(spec)) {
      return OutputFiles.resolve(parentOf(spec), output);
    }
    return Path.of(spec).toAbsolutePath().normalize().getParent().resolve(output).toString();
  }

  /**
   * A local copy of a remote spec (and of the target lists named relative to it) in a new folder
   * under {@code stagingParent}; a local spec is returned as it is.
   */
  static Path localSpec(String spec, Path stagingParent) throws SpecException, IOException {
    if (!isRemote(spec)) {
      return Path.of(spec);
    }
    String text = read(spec);
    Spec parsed = SpecParser.parse(text, spec);
    Files.createDirectories(stagingParent);
    Path staging = Files.createTempDirectory(stagingParent, "converge-spec-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Worktrees.delete(staging)));
    String name = spec.substring(spec.lastIndexOf('/') + 1);
    Path local = staging.resolve(name.isEmpty() ? "spec.yaml" : name);
    Files.writeString(local, text, StandardCharsets.UTF_8);
    for (int i = 0; i < parsed.targets().size(); i++) {
      TargetSpec target = parsed.targets().get(i);
      String field = "targets[" + i + "]";
      if (target.path() != null && !Path.of(target.path()).isAbsolute()) {
        throw new IllegalArgumentException(
            field + ".path: '" + target.path() + "' is relative to " + spec
                + ", which is not on this machine; name the repository by an absolute folder or a URL");
      }
      if (target.glob() != null && !target.glob().startsWith("/")) {
        throw new IllegalArgumentException(
            field + ".glob: '" + target.glob() + "' is relative to " + spec
                + ", which is not on this machine; use an absolute glob");
      }
      if (target.list() != null && !isRemote(target.list()) && !Path.of(target.list()).isAbsolute()) {
        Path copy = staging.resolve(target.list()).normalize();
        if (!copy.startsWith(staging)) {
          throw new IllegalArgumentException(
              field + ".list: '" + target.list() + "' leaves the folder of " + spec);
        }
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, read(OutputFiles.resolve(parentOf(spec), target.list())), StandardCharsets.UTF_8);
      }
    }
    return local;
  }

  /** The whole content of a file, local or remote. */
  static String read(String path) throws IOException {
    try {
      return OutputFiles.read(path);
    } catch (IOException e) {
      throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static String parentOf(String uri) {
    return uri.substring(0, uri.lastIndexOf('/'));
  }

  /**
   * Credentials for GCS calls: none for an endpoint on this machine, else Google's
   * application-default credentials. Named by class in the pipeline options, so Flink's workers
   * make the same choice.
   */
  public static final class EndpointCredentialFactory implements CredentialFactory {
    private final PipelineOptions options;

    private EndpointCredentialFactory(PipelineOptions options) {
      this.options = options;
    }

    public static EndpointCredentialFactory fromOptions(PipelineOptions options) {
      return new EndpointCredentialFactory(options);
    }

    @Override
    public com.google.auth.Credentials getCredential() throws IOException, GeneralSecurityException {
      String endpoint = options.as(GcsOptions.class).getGcsEndpoint();
      if (endpoint != null && isLocalEndpoint(endpoint)) {
        return NoopCredentialFactory.fromOptions(options).getCredential();
      }
      return GcpCredentialFactory.fromOptions(options.as(GcpOptions.class)).getCredential();
    }
  }
}
