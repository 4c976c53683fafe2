package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The Beam options behind each runner profile, and the storage flags. */
class RunnerProfileTest {
  private static ConvergeOptions options(String profile, Integer parallelism, String master) {
    ConvergeOptions options = PipelineOptionsFactory.create().as(ConvergeOptions.class);
    options.setRunnerProfile(profile);
    options.setJobParallelism(parallelism);
    if (master != null) {
      options.as(FlinkPipelineOptions.class).setFlinkMaster(master);
    }
    return options;
  }

  @Test
  void everyProfileHasALabel() {
    assertEquals("direct", RunnerProfile.named("direct").label());
    assertEquals(RunnerProfile.FLINK_LOCAL, RunnerProfile.named("flink-local"));
    assertEquals(RunnerProfile.FLINK, RunnerProfile.named("flink"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> RunnerProfile.named("spark"));
    assertTrue(unknown.getMessage().contains("direct, flink-local, flink"), unknown.getMessage());
  }

  @Test
  void directUsesTheDirectRunnerWithTheAskedParallelism() {
    ConvergeOptions options = options("direct", 3, null);
    RunnerProfile.DIRECT.configure(options);
    assertEquals(DirectRunner.class, options.getRunner());
    assertEquals(3, options.as(DirectOptions.class).getTargetParallelism());
  }

  @Test
  void flinkLocalIsAMiniClusterInThisJvm() {
    ConvergeOptions options = options("flink-local", null, null);
    RunnerProfile.FLINK_LOCAL.configure(options);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, flink.getRunner());
    assertEquals("[local]", flink.getFlinkMaster());
    assertEquals(ConvergeOptions.DEFAULT_JOB_PARALLELISM, flink.getParallelism());
    assertTrue(flink.getReIterableGroupByKeyResult());
  }

  @Test
  void flinkNeedsAMaster() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunnerProfile.FLINK.configure(options("flink", null, null)));
    assertTrue(missing.getMessage().contains("--flink-master"), missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> RunnerProfile.FLINK.configure(options("flink", null, "not a master")));
  }

  @Test
  void flinkSaysSoWhenNoClusterAnswers() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int closedPort = port;
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunnerProfile.FLINK.configure(options("flink", null, "127.0.0.1:" + closedPort)));
    assertTrue(none.getMessage().contains("scripts/flink-cluster.sh start"), none.getMessage());
  }

  @Test
  void flinkTakesEveryTaskSlotByDefaultAndRefusesMoreThanTheClusterHas() throws IOException {
    HttpServer rest = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    rest.createContext(
        "/overview",
        exchange -> {
          byte[] body = "{\"taskmanagers\":2,\"slots-total\":6,\"slots-available\":6}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    rest.start();
    try {
      String master = "127.0.0.1:" + rest.getAddress().getPort();
      ConvergeOptions options = options("flink", null, "http://" + master);
      RunnerProfile.FLINK.configure(options);
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      assertEquals(FlinkRunner.class, flink.getRunner());
      assertEquals(master, flink.getFlinkMaster());
      assertEquals(6, flink.getParallelism());
      assertTrue(flink.getReIterableGroupByKeyResult());

      IllegalArgumentException tooMany =
          assertThrows(
              IllegalArgumentException.class,
              () -> RunnerProfile.FLINK.configure(options("flink", 7, master)));
      assertTrue(tooMany.getMessage().contains("has 6"), tooMany.getMessage());
    } finally {
      rest.stop(0);
    }
  }

  @Test
  void gcsEndpointsAndRemotePaths() {
    assertEquals("http://127.0.0.1:4443/storage/v1/", Storage.normalizeEndpoint("http://127.0.0.1:4443"));
    assertEquals("http://127.0.0.1:4443/storage/v1/", Storage.normalizeEndpoint("http://127.0.0.1:4443/storage/v1"));
    assertThrows(IllegalArgumentException.class, () -> Storage.normalizeEndpoint("127.0.0.1:4443"));
    assertTrue(Storage.isLocalEndpoint("http://127.0.0.1:4443/storage/v1/"));
    assertTrue(Storage.isLocalEndpoint("http://localhost:4443/"));
    assertFalse(Storage.isLocalEndpoint("https://storage.googleapis.com/storage/v1/"));
    assertTrue(Storage.isRemote("gs://bucket/path"));
    assertFalse(Storage.isRemote("/tmp/out"));
    assertFalse(Storage.isRemote("out"));
    assertFalse(Storage.isRemote("file:///tmp/out"));

    ConvergeOptions options = options("direct", null, null);
    Storage.configure(options, "http://127.0.0.1:4443");
    GcsOptions gcs = options.as(GcsOptions.class);
    assertEquals("http://127.0.0.1:4443/storage/v1/", gcs.getGcsEndpoint());
    assertEquals(Storage.EndpointCredentialFactory.class, gcs.getCredentialFactoryClass());
  }
}
