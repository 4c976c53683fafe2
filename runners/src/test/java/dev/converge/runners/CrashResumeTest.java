package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume: {@code converge run} as a child JVM is killed with SIGKILL once some agent
 * calls are in the cache and the others are held at a gate (a file the test creates); the same
 * command run again finishes the job, takes the finished calls from the cache and writes the same
 * {@code results.jsonl} and patches as an uninterrupted run.
 *
 * <p>Compared without the fields that differ between any two runs: a candidate's {@code
 * durationMs} and {@code startedAtMs} and its test's (wall-clock times), and {@code cached} (true
 * exactly for the calls taken from the cache, which the call counts check instead).
 *
 * <p>The child gets a secret in its environment that the spec does not grant; the agents print
 * their environment (but for the variables that name their own checkout), and no output file or
 * console line may hold it.
 */
class CrashResumeTest {
  private static final int TASKS = 10;
  private static final int QUICK_TASKS = 4;
  private static final String UNGRANTED_SECRET = "FOO_SECRET";
  private static final String SECRET_VALUE = "crash-test-secret-4f1c2b9a7e";
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  @TempDir Path dir;

  private Path spec() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < TASKS; i++) {
      Files.writeString(repo.resolve("f%02d.txt".formatted(i)), "old\n");
      tasks.append("    - {id: t%02d, instructions: edit, files: [f%02d.txt]}\n".formatted(i, i));
    }
    Cli.run(repo, "git", "init", "-q");
    Cli.run(repo, "git", "add", ".");
    Cli.run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    // The first QUICK_TASKS tasks finish at once; the others wait for the gate file.
    String agent =
        "case \"$CONVERGE_TASK_ID\" in t0[0-" + (QUICK_TASKS - 1) + "]) ;; *) "
            + "while [ ! -e \"$GATE\" ]; do sleep 0.05; done ;; esac; "
            + "env | grep -v -e ^PWD= -e ^CONVERGE_WORKTREE= -e ^CONVERGE_PROCESS_TOKEN= | sort >&2;"
            + " echo new > \"$CONVERGE_FILES\"";
    Path spec = dir.resolve("crash.yaml");
    Files.writeString(
        spec,
        """
        name: crash
        kind: change
        targets:
          - path: repo
        plan:
          tasks:
        %s
        agents:
          - id: gated
            type: command
            command: [sh, -c, '%s']
            env: {GATE: "%s"}
        test:
          command: 'test -z "$CONVERGE_FILES" || grep -q new $CONVERGE_FILES'
        """
            .formatted(tasks.toString().stripTrailing(), agent.replace("'", "''"), dir.resolve("gate")));
    return spec;
  }

  private Process start(Path spec, Path out, Path console) throws Exception {
    List<String> argv =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Converge.class.getName(),
            "run",
            spec.toString(),
            "--out",
            out.toString());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().put(UNGRANTED_SECRET, SECRET_VALUE);
    return builder.start();
  }

  private int runToEnd(Path spec, Path out, Path console) throws Exception {
    Process process = start(spec, out, console);
    assertTrue(process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS), "the run did not end");
    return process.exitValue();
  }

  private static long cacheEntries(Path out) throws Exception {
    Path cache = out.resolve("cache");
    if (!Files.isDirectory(cache)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
  }

  /** Waits (polling the cache folder) until the quick calls are cached, or fails after a limit. */
  private static void awaitCachedCalls(Path out, Process run) throws Exception {
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (cacheEntries(out) < QUICK_TASKS) {
      assertTrue(run.isAlive(), "the run ended before it could be killed");
      assertTrue(System.nanoTime() < deadline, "the quick calls were never cached");
      Thread.sleep(50);
    }
  }

  @Test
  void aRunKilledMidwayResumesFromTheCacheAndWritesWhatAnUninterruptedRunWrites() throws Exception {
    Path spec = spec();
    Path console = dir.resolve("console.log");
    Path resumed = dir.resolve("resumed");

    Process first = start(spec, resumed, console);
    awaitCachedCalls(resumed, first);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    assertTrue(first.waitFor(1, TimeUnit.MINUTES));
    long cachedBeforeKill = cacheEntries(resumed);
    assertFalse(Files.exists(resumed.resolve("summary.json")), "the killed run must not have finished");

    Files.writeString(dir.resolve("gate"), "open\n");
    assertEquals(Converge.EXIT_OK, runToEnd(spec, resumed, console), Files.readString(console));
    Path uninterrupted = dir.resolve("uninterrupted");
    assertEquals(Converge.EXIT_OK, runToEnd(spec, uninterrupted, console), Files.readString(console));

    JsonNode summary = Json.MAPPER.readTree(resumed.resolve("summary.json").toFile());
    assertEquals(TASKS, summary.get("tasks").asInt());
    assertEquals(
        TASKS, summary.get("states").get("merged").asInt(), Files.readString(resumed.resolve("results.jsonl")));
    assertEquals(cachedBeforeKill, summary.get("cacheHits").asLong(), "the calls finished before the kill");
    assertEquals(TASKS - cachedBeforeKill, summary.get("agentCalls").asLong(), "only the other calls were made");
    List<String> varying = List.of("durationMs", "startedAtMs");
    List<String> candidateVarying = List.of("durationMs", "startedAtMs", "cached");
    assertEquals(
        ResultsFiles.without(uninterrupted, candidateVarying, varying),
        ResultsFiles.without(resumed, candidateVarying, varying));
    List<String> patches = new ArrayList<>();
    try (Stream<Path> files = Files.list(uninterrupted.resolve("patches"))) {
      for (Path patch : files.sorted().toList()) {
        patches.add(patch.getFileName().toString());
        assertArrayEquals(
            Files.readAllBytes(patch), Files.readAllBytes(resumed.resolve("patches").resolve(patch.getFileName())));
      }
    }
    assertEquals(TASKS, patches.size());
    assertEquals(List.of(), filesHolding(SECRET_VALUE, dir), "the ungranted secret leaked");

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("tasks", TASKS);
    figures.put("callsCachedBeforeKill", cachedBeforeKill);
    figures.put("cacheHitsOnResume", summary.get("cacheHits").asLong());
    figures.put("agentCallsOnResume", summary.get("agentCalls").asLong());
    figures.put("resultsIdentical", true);
    figures.put("patchesIdentical", patches.size());
    figures.put("fieldsExcluded", "candidate and test durationMs, startedAtMs; candidate cached");
    ReliabilityFigures.write("crash-resume", figures);
  }

  /** Every file under {@code root} (outputs, cache, console log) whose bytes contain {@code text}. */
  static List<Path> filesHolding(String text, Path root) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
            .contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          holding.add(file);
        }
      }
    }
    return holding;
  }
}
