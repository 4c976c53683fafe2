package dev.converge.runners;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;

/**
 * The Beam options behind the {@code flink-local} and {@code flink} runner profiles.
 *
 * <ul>
 *   <li>{@code flink-local}: {@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=N}
 *       (default 8), a Flink mini cluster in this JVM.
 *   <li>{@code flink}: {@code --runner=FlinkRunner --flinkMaster=HOST:PORT --parallelism=N}
 *       (default: every task slot the cluster has), {@code --filesToStage=<the converge jar>}.
 *   <li>Both: batch execution and re-iterable GroupByKey results (as the Beam model promises).
 *   <li>Restarts: {@code flink-local} gets a restart strategy (fixed delay, {@value
 *       #RESTART_ATTEMPTS} attempts) through a generated {@code --flinkConfDir} (a {@code
 *       FLINK_CONF_DIR} in the environment wins); on {@code flink} the cluster's configuration
 *       decides, and scripts/flink-cluster.sh configures the same strategy there.
 * </ul>
 */
final class FlinkProfiles {
  static final String LOCAL_MASTER = "[local]";
  static final int RESTART_ATTEMPTS = 3;
  static final String RESTART_DELAY = "2 s";

  private FlinkProfiles() {}

  /** The parallelism the user asked for, else {@code fallback}. */
  static int parallelismOr(ConvergeOptions options, int fallback) {
    Integer asked = options.getJobParallelism();
    return asked == null ? fallback : asked;
  }

  static void configureLocal(ConvergeOptions options) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster(LOCAL_MASTER);
    flink.setParallelism(parallelismOr(options, ConvergeOptions.DEFAULT_JOB_PARALLELISM));
    configureCommon(flink);
    // The mini cluster takes its configuration from here; a real cluster uses its own (see
    // scripts/flink-cluster.sh), since Flink's batch jobs do not carry a restart strategy.
    if (flink.getFlinkConfDir() == null && System.getenv("FLINK_CONF_DIR") == null) {
      flink.setFlinkConfDir(restartStrategyConfDir().toString());
    }
  }

  static void configureCluster(ConvergeOptions options) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (master == null || master.isBlank() || master.startsWith("[")) {
      throw new IllegalArgumentException(
          "--runner flink needs --flink-master HOST:PORT, the REST address of a Flink session"
              + " cluster (scripts/flink-cluster.sh start prints it; usually 127.0.0.1:8081)");
    }
    URI rest = restAddress(master);
    int slots = clusterSlots(rest);
    int parallelism = parallelismOr(options, slots);
    if (parallelism > slots) {
      throw new IllegalArgumentException(
          "--parallelism "
              + parallelism
              + " needs "
              + parallelism
              + " task slots, but the Flink cluster at "
              + master
              + " has "
              + slots
              + "; lower --parallelism or start more TaskManagers");
    }
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster(rest.getHost() + ":" + rest.getPort());
    flink.setParallelism(parallelism);
    List<String> jar = convergeJar();
    if (!jar.isEmpty()) {
      // Running from the shaded jar: it holds every class the job needs, so stage only it.
      flink.setFilesToStage(jar);
    }
    configureCommon(flink);
  }

  private static void configureCommon(FlinkPipelineOptions flink) {
    flink.setJobName("converge");
    // The Beam model lets a DoFn iterate a GroupByKey result more than once (the transforms do);
    // Flink's batch translation allows it only with this flag.
    flink.setReIterableGroupByKeyResult(true);
  }

  /** {@code HOST:PORT} (or {@code http://HOST:PORT}) as the cluster's REST address. */
  static URI restAddress(String master) {
    String withScheme = master.contains("://") ? master : "http://" + master;
    try {
      URI uri = new URI(withScheme);
      if (uri.getHost() == null || uri.getPort() < 1) {
        throw new URISyntaxException(master, "expected HOST:PORT");
      }
      return new URI("http", null, uri.getHost(), uri.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--flink-master '" + master + "' is not HOST:PORT (for example 127.0.0.1:8081)", e);
    }
  }

  /** The number of task slots of the cluster, from its REST API ({@code GET /overview}). */
  static int clusterSlots(URI rest) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(rest.resolve("/overview")).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      JsonNode overview = Json.MAPPER.readTree(response.body());
      int slots = overview.path("slots-total").asInt(0);
      if (slots < 1) {
        throw new IllegalArgumentException(
            "the Flink cluster at " + rest.getAuthority() + " has no TaskManager (0 task slots)");
      }
      return slots;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no Flink cluster answers at "
              + rest
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "); start one with scripts/flink-cluster.sh start",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the Flink cluster for its slots", e);
    }
  }

  /** The jar this program runs from, when it runs from one (scripts/converge); else empty. */
  static List<String> convergeJar() {
    try {
      Path location =
          Path.of(FlinkProfiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location)
              && location.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")
          ? List.of(location.toString())
          : List.of();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return List.of();
    }
  }

  /** A Flink configuration folder that only sets the restart strategy of the job. */
  private static Path restartStrategyConfDir() {
    try {
      Path dir = Files.createTempDirectory("converge-flink-conf-");
      Path config = dir.resolve("config.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "# Written by converge for one job: a lost TaskManager re-runs the job.",
              "restart-strategy.type: fixed-delay",
              "restart-strategy.fixed-delay.attempts: " + RESTART_ATTEMPTS,
              "restart-strategy.fixed-delay.delay: " + RESTART_DELAY,
              ""),
          StandardCharsets.UTF_8);
      config.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Flink configuration folder: " + e.getMessage(), e);
    }
  }
}
