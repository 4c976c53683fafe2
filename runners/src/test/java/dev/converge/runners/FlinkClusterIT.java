package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner parity and fault tolerance on a real standalone Flink session cluster: one JobManager and
 * two TaskManagers started by {@code scripts/flink-cluster.sh} from Maven-resolved jars, bound to
 * 127.0.0.1, shared by every test of this class and stopped at the end even when a test fails.
 *
 * <p>Every job runs through the shaded jar ({@code runners/target/converge.jar}, also the job jar
 * that Flink stages), once on the Direct Runner and once on the cluster; their results must agree
 * task by task (state, patch, candidates), timings aside. The last test kills a TaskManager while
 * agents run and expects the job to restart and end with the same outcomes and no duplicated
 * output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final int TASKMANAGERS = 2;
  private static final int SLOTS_PER_TASKMANAGER = 2;
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

  @TempDir static Path tmp;
  private static Path root;
  private static Path jar;
  private static Path clusterDir;
  private static int restPort;
  private static boolean clusterStarted;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  static void startCluster() throws Exception {
    root = Path.of(System.getProperty("converge.root", "..")).toAbsolutePath().normalize();
    jar = Path.of(System.getProperty("converge.jar", root.resolve("runners/target/converge.jar").toString()));
    assertTrue(Files.isRegularFile(jar), "the shaded jar is built before the integration tests: " + jar);
    restPort = freePort();
    clusterDir = tmp.resolve("flink-cluster");
    Runtime.getRuntime().addShutdownHook(new Thread(FlinkClusterIT::stopQuietly));
    clusterStarted = true;
    String out = script("start", Integer.toString(TASKMANAGERS));
    assertTrue(out.contains("up in"), out);
    JsonNode overview = restJson("/overview").orElseThrow();
    assertEquals(TASKMANAGERS, overview.get("taskmanagers").asInt(), overview.toString());
    assertEquals(TASKMANAGERS * SLOTS_PER_TASKMANAGER, overview.get("slots-total").asInt());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (!clusterStarted) {
      return;
    }
    List<Long> pids = clusterPids();
    script("stop");
    clusterStarted = false;
    for (long pid : pids) {
      assertFalse(running(pid), "flink-cluster.sh stop left process " + pid + " running");
    }
    assertTrue(restJson("/overview").isEmpty(), "the REST API still answers after stop");
  }

  @Test
  @Order(1)
  void demoGivesTheSameOutcomesOnFlinkAsOnTheDirectRunner() throws Exception {
    Path direct = tmp.resolve("demo-direct");
    Path flink = tmp.resolve("demo-flink");
    converge("demo", "--out", direct.toString());
    String log = converge("demo", "--out", flink.toString(), "--runner", "flink", "--flink-master", master());
    assertTrue(log.contains("on the flink runner"), log);
    assertSameOutcomes(direct, flink);
    Map<String, String> states = states(flink);
    assertEquals(6, count(states, "merged"), states.toString());
    assertEquals(1, count(states, "rejected"), states.toString());
    assertEquals("flink", Json.MAPPER.readTree(flink.resolve("summary.json").toFile()).get("runner").asText());
  }

  @Test
  @Order(2)
  void multiRepositoryJobGivesTheSameOutcomesOnFlinkAsOnTheDirectRunner() throws Exception {
    Path spec = multiRepoSpec(tmp.resolve("multi"));
    Path direct = tmp.resolve("multi-direct");
    Path flink = tmp.resolve("multi-flink");
    converge("run", spec.toString(), "--out", direct.toString());
    converge("run", spec.toString(), "--out", flink.toString(), "--runner", "flink", "--flink-master", master());
    assertSameOutcomes(direct, flink);
    assertTrue(states(flink).size() >= 10, states(flink).toString());
  }

  @Test
  @Order(3)
  void flinkLocalGivesTheSameOutcomesAsTheDirectRunner() throws Exception {
    Path direct = tmp.resolve("demo-direct");
    Path local = tmp.resolve("demo-flink-local");
    if (!Files.exists(direct.resolve("results.jsonl"))) {
      converge("demo", "--out", direct.toString());
    }
    converge("demo", "--out", local.toString(), "--runner", "flink-local", "--parallelism", "4");
    assertSameOutcomes(direct, local);
  }

  @Test
  @Order(4)
  void taskManagersReadAndWriteGsPaths() throws Exception {
    MultiRepoFixture fixture = MultiRepoFixture.create(tmp.resolve("gcs"), 2, 2, 0);
    Path direct = tmp.resolve("gcs-direct");
    converge("run", fixture.spec.toString(), "--out", direct.toString());
    try (FakeGcsServer gcs = FakeGcsServer.start()) {
      gcs.put("gs://flink-it/job/multi.yaml", Files.readString(fixture.spec));
      gcs.put("gs://flink-it/job/repos.txt", Files.readString(fixture.list));
      converge(
          "run", "gs://flink-it/job/multi.yaml", "--out", "gs://flink-it/out",
          "--gcs-endpoint", gcs.endpoint(), "--runner", "flink", "--flink-master", master());
      Path copy = tmp.resolve("gcs-flink");
      Files.createDirectories(copy.resolve("patches"));
      for (String object : gcs.objects()) {
        assertFalse(object.contains(".temp-beam") || object.endsWith(".tmp"), "left behind: " + object);
        if (object.startsWith("gs://flink-it/out/")) {
          Path file = copy.resolve(object.substring("gs://flink-it/out/".length()));
          Files.createDirectories(file.getParent());
          Files.writeString(file, gcs.read(object).orElseThrow());
        }
      }
      assertSameOutcomes(direct, copy);
    }
  }

  /** Runs last: it leaves the cluster with one TaskManager. */
  @Test
  @Order(100)
  void aJobSurvivesTheLossOfATaskManager() throws Exception {
    MultiRepoFixture fixture = MultiRepoFixture.create(tmp.resolve("fault"), 4, 2, 1500);
    Path direct = tmp.resolve("fault-direct");
    converge("run", fixture.spec.toString(), "--out", direct.toString());

    Path flink = tmp.resolve("fault-flink");
    Path work = tmp.resolve("fault-work");
    Files.createDirectories(work);
    // The job fits in the slots of one TaskManager, so it can restart on the one that is left.
    Process job =
        start(
            "run", fixture.spec.toString(), "--out", flink.toString(), "--work-dir", work.toString(),
            "--runner", "flink", "--flink-master", master(),
            "--parallelism", Integer.toString(SLOTS_PER_TASKMANAGER));
    Path jobLog = tmp.resolve("fault-flink.log");

    // Wait until agents are at work (their private checkouts exist), then kill a busy TaskManager.
    String jobId = poll("a running job", Duration.ofMinutes(2), job, () -> runningJob());
    poll("agents at work", Duration.ofMinutes(2), job, () -> hasEntries(work) ? Optional.of(true) : Optional.empty());
    String busy = poll("a TaskManager with a task", Duration.ofSeconds(30), job, FlinkClusterIT::busyTaskManager);
    long pid = Long.parseLong(Files.readString(clusterDir.resolve("run/" + busy + ".pid")).strip());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Instant killedAt = Instant.now();

    String log = finish(job, jobLog);
    assertTrue(log.contains("tasks:"), log);
    assertSameOutcomes(direct, flink);
    assertNoDuplicatedOutput(flink, fixture.taskCount());

    JsonNode exceptions = restJson("/jobs/" + jobId + "/exceptions").orElseThrow();
    assertTrue(
        exceptions.path("exceptionHistory").path("entries").size() > 0,
        "the job restarted after the TaskManager was killed at " + killedAt + ": " + exceptions);
    assertEquals("FINISHED", restJson("/jobs/" + jobId).orElseThrow().get("state").asText());
  }

  // ---- the jobs

  /** The multi-repository example on ten generated repositories (one of each kind), else a fixture. */
  private static Path multiRepoSpec(Path dir) throws Exception {
    Path example = root.resolve("specs/examples/migration");
    Path generator = root.resolve("scripts/make-migration-repos");
    if (Files.isRegularFile(example.resolve("migration.yaml")) && Files.isRegularFile(generator)) {
      copyTree(example, dir);
      Cli.run(root, "python3", generator.toString(), dir.resolve("repos").toString(), "10");
      return dir.resolve("migration.yaml");
    }
    return MultiRepoFixture.create(dir, 4, 2, 0).spec;
  }

  private static String master() {
    return "127.0.0.1:" + restPort;
  }

  private static String converge(String... args) throws Exception {
    Process process = start(args);
    return finish(process, tmp.resolve("converge-" + System.nanoTime() + ".log"));
  }

  private static Process start(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("java", "-Dconverge.home=" + root, "-jar", jar.toString()));
    argv.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "converge-", ".log");
    ProcessBuilder builder = new ProcessBuilder(argv).directory(tmp.toFile()).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process process = builder.start();
    logs.put(process.pid(), log);
    return process;
  }

  private static final Map<Long, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();

  private static String finish(Process process, Path copyTo) throws Exception {
    boolean done = process.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String output = Files.readString(logs.get(process.pid()), StandardCharsets.UTF_8);
    Files.writeString(copyTo, output, StandardCharsets.UTF_8);
    if (!done) {
      process.destroyForcibly();
      cancelRunningJobs();
      fail("converge did not finish within " + JOB_TIMEOUT + ":\n" + output);
    }
    assertEquals(0, process.exitValue(), "converge failed:\n" + output);
    return output;
  }

  // ---- comparing outputs

  /** Per task: state, patch, and every candidate's agent, sample, status, patch and test status. */
  private static Map<String, String> comparable(Path out) throws IOException {
    Map<String, String> tasks = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      JsonNode outcome = Json.MAPPER.readTree(line);
      List<String> candidates = new ArrayList<>();
      for (JsonNode c : outcome.get("candidates")) {
        candidates.add(
            c.get("agentId").asText() + "#" + c.get("sample").asText() + " " + c.get("status").asText()
                + " " + c.get("patchHash").asText() + " " + c.path("test").path("status").asText());
      }
      candidates.sort(null);
      String previous =
          tasks.put(
              outcome.get("task").get("id").asText(),
              outcome.get("state").asText() + "\n" + candidates + "\n" + outcome.get("patch").asText());
      assertTrue(previous == null, "two results for one task in " + out);
    }
    return tasks;
  }

  private static void assertSameOutcomes(Path expected, Path actual) throws IOException {
    assertEquals(comparable(expected), comparable(actual), "results of " + expected + " and " + actual);
    assertEquals(patches(expected), patches(actual), "patch files of " + expected + " and " + actual);
  }

  private static Map<String, String> patches(Path out) throws IOException {
    Map<String, String> patches = new TreeMap<>();
    Path dir = out.resolve("patches");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          patches.put(dir.relativize(file).toString(), Files.readString(file));
        }
      }
    }
    return patches;
  }

  private static void assertNoDuplicatedOutput(Path out, int tasks) throws IOException {
    assertEquals(tasks, Files.readAllLines(out.resolve("results.jsonl")).size());
    long merged = states(out).values().stream().filter("merged"::equals).count();
    assertEquals(merged, patches(out).size(), "one patch per merged task");
    try (Stream<Path> files = Files.walk(out)) {
      List<String> leftovers =
          files.map(p -> out.relativize(p).toString())
              .filter(p -> p.contains(".temp-beam") || p.endsWith(".tmp"))
              .toList();
      assertEquals(List.of(), leftovers, "temporary files left in " + out);
    }
  }

  private static Map<String, String> states(Path out) throws IOException {
    Map<String, String> states = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      JsonNode outcome = Json.MAPPER.readTree(line);
      states.put(outcome.get("task").get("id").asText(), outcome.get("state").asText());
    }
    return states;
  }

  private static long count(Map<String, String> states, String state) {
    return states.values().stream().filter(state::equals).count();
  }

  // ---- the cluster

  private static String script(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("bash", root.resolve("scripts/flink-cluster.sh").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true);
    builder.environment().put("FLINK_REST_PORT", Integer.toString(restPort));
    builder.environment().put("FLINK_RPC_PORT", Integer.toString(freePort()));
    builder.environment().put("FLINK_SLOTS", Integer.toString(SLOTS_PER_TASKMANAGER));
    builder.environment().put("FLINK_CLUSTER_DIR", clusterDir.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "flink-cluster.sh " + String.join(" ", args) + " hangs");
    assertEquals(0, process.exitValue(), "flink-cluster.sh " + String.join(" ", args) + ":\n" + output);
    return output;
  }

  private static void stopQuietly() {
    if (clusterStarted) {
      try {
        script("stop");
      } catch (Exception | AssertionError e) {
        System.err.println("could not stop the Flink cluster: " + e);
      }
    }
  }

  private static List<Long> clusterPids() throws IOException {
    List<Long> pids = new ArrayList<>();
    Path run = clusterDir.resolve("run");
    if (Files.isDirectory(run)) {
      try (Stream<Path> files = Files.list(run)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          pids.add(Long.parseLong(Files.readString(file).strip()));
        }
      }
    }
    return pids;
  }

  /** True while {@code pid} exists and is not a zombie (which nobody may reap in a container). */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<JsonNode> restJson(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(Json.MAPPER.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** A job whose client gave up keeps running on a session cluster: cancel it for the next test. */
  private static void cancelRunningJobs() {
    for (int i = 0; i < 10; i++) {
      Optional<String> job = runningJob();
      if (job.isEmpty()) {
        return;
      }
      try {
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/jobs/" + job.get() + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Optional<String> runningJob() {
    return restJson("/jobs/overview").flatMap(overview -> {
      for (JsonNode job : overview.get("jobs")) {
        if (job.get("state").asText().equals("RUNNING")) {
          return Optional.of(job.get("jid").asText());
        }
      }
      return Optional.empty();
    });
  }

  /** The resource id (taskmanager-N, as the script names them) of a TaskManager that runs a task. */
  private static Optional<String> busyTaskManager() {
    return restJson("/taskmanagers").flatMap(list -> {
      for (JsonNode tm : list.get("taskmanagers")) {
        if (tm.get("freeSlots").asInt() < tm.get("slotsNumber").asInt()) {
          return Optional.of(tm.get("id").asText());
        }
      }
      return Optional.empty();
    });
  }

  private static boolean hasEntries(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code condition} until it holds; fails at the deadline or when {@code job} ends first. */
  private static <T> T poll(String what, Duration timeout, Process job, Supplier<Optional<T>> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (!job.isAlive()) {
        fail("the job ended before " + what + " was seen");
      }
      // Wait for the job process for a moment: returns at once if it ends.
      job.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no " + what + " within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        String relative = from.relativize(source).toString();
        if (relative.equals("repos") || relative.startsWith("repos/") || relative.contains("__pycache__")) {
          continue;
        }
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
