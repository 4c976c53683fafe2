package dev.converge.transforms.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.testing.ReliabilityLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  /** Figures for docs/RELIABILITY.md, counted only after the assertions that back them. */
  private static final AtomicInteger ORPHANS_CHECKED = new AtomicInteger();

  private static final AtomicInteger HIDDEN_VARIABLES_CHECKED = new AtomicInteger();
  private static final AtomicInteger OUTPUTS_CAPPED = new AtomicInteger();

  @TempDir Path dir;

  @AfterAll
  static void report() {
    ReliabilityLog.named("process-isolation")
        .put("orphanCases", ORPHANS_CHECKED.get())
        .put("orphansLeft", 0)
        .put("hiddenVariablesChecked", HIDDEN_VARIABLES_CHECKED.get())
        .put("variablesLeaked", 0)
        .put("outputsCapped", OUTPUTS_CAPPED.get())
        .write();
  }

  private ProcessRunner.Result sh(String script, Duration timeout) throws IOException {
    return ProcessRunner.run(List.of("sh", "-c", script), dir, Map.of(), "", timeout);
  }

  @Test
  void outputTailIsBounded() throws IOException {
    // 1 MiB of 'x', then a marker that must survive as the very end of the tail.
    ProcessRunner.Result result =
        sh("head -c 1048576 /dev/zero | tr '\\0' x; printf END", Duration.ofSeconds(30));

    assertEquals(0, result.exitCode());
    assertFalse(result.timedOut());
    String tail = result.outputTail();
    assertTrue(tail.endsWith("xxxEND"), tail.substring(Math.max(0, tail.length() - 50)));
    assertTrue(
        tail.length() >= ProcessRunner.DEFAULT_TAIL_CHARS
            && tail.length() <= ProcessRunner.DEFAULT_TAIL_CHARS + 16,
        "tail length " + tail.length());
    OUTPUTS_CAPPED.incrementAndGet();
  }

  @Test
  void shortOutputIsKeptWhole() throws IOException {
    ProcessRunner.Result result = sh("echo hello; echo oops >&2; exit 4", Duration.ofSeconds(30));
    assertEquals(4, result.exitCode());
    assertFalse(result.succeeded());
    assertTrue(result.outputTail().contains("hello"), result.outputTail());
    assertTrue(result.outputTail().contains("oops"), "stderr is merged: " + result.outputTail());
  }

  @Test
  void stdinAndEnvironmentReachTheProcess() throws IOException {
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of("sh", "-c", "cat; echo \"[$GRANTED]\""),
            dir,
            Map.of("GRANTED", "yes"),
            "from stdin\n",
            Duration.ofSeconds(30));
    assertEquals("from stdin\n[yes]\n", result.outputTail());
  }

  @Test
  void timeoutKillsTheChildrenToo() throws Exception {
    Path started = dir.resolve("started");
    ProcessRunner.Result result =
        sh("sleep 30 & echo child=$!; touch started; sleep 30", Duration.ofSeconds(1));

    assertTrue(result.timedOut(), result.toString());
    assertEquals(-1, result.exitCode());
    assertTrue(result.durationMs() < 20_000, "duration " + result.durationMs());
    assertTrue(Files.exists(started), "the script did not get to start its child");
    Matcher m = Pattern.compile("child=(\\d+)").matcher(result.outputTail());
    assertTrue(m.find(), "no child pid in: " + result.outputTail());
    long pid = Long.parseLong(m.group(1));

    assertGone(pid);
  }

  @Test
  void aDaemonThatLeftTheProcessGroupAndSessionIsKilledToo() throws Exception {
    // A double fork into a new session: not a descendant and not in the group any more.
    ProcessRunner.Result result =
        sh("(setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' &); while [ ! -s daemon.pid ]; do sleep 0.05; done;"
            + " sleep 30", Duration.ofSeconds(2));

    assertTrue(result.timedOut(), result.toString());
    assertGone(Long.parseLong(Files.readString(dir.resolve("daemon.pid")).strip()));
  }

  @Test
  void aDaemonLeftBehindAfterANormalExitIsKilled() throws Exception {
    ProcessRunner.Result result =
        sh("(setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' &); while [ ! -s daemon.pid ]; do sleep 0.05; done",
            Duration.ofSeconds(30));

    assertEquals(0, result.exitCode(), result.toString());
    assertGone(Long.parseLong(Files.readString(dir.resolve("daemon.pid")).strip()));
  }

  @Test
  void daemonsOfRunsThatEndTogetherAreAllKilled() throws Exception {
    // Runs that end together share sweeps of /proc: none of their daemons may slip between them.
    int runs = 16;
    ExecutorService threads = Executors.newFixedThreadPool(runs);
    try {
      List<Future<ProcessRunner.Result>> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String pidFile = "daemon-" + i + ".pid";
        results.add(
            threads.submit(
                () -> sh("(setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 300' &);"
                    + " while [ ! -s " + pidFile + " ]; do sleep 0.05; done", Duration.ofSeconds(30))));
      }
      for (Future<ProcessRunner.Result> result : results) {
        assertEquals(0, result.get(60, TimeUnit.SECONDS).exitCode());
      }
    } finally {
      threads.shutdownNow();
    }
    for (int i = 0; i < runs; i++) {
      assertGone(Long.parseLong(Files.readString(dir.resolve("daemon-" + i + ".pid")).strip()));
    }
  }

  /** Fails when {@code pid} still runs, and then kills it, so a failure leaves no orphan behind. */
  private static void assertGone(long pid) throws Exception {
    boolean running = runningAfterKill(pid);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    assertFalse(running, "process " + pid + " outlived its run");
    ORPHANS_CHECKED.incrementAndGet();
  }

  @Test
  void onlyTheInheritedAndGrantedVariablesReachTheProcess() throws IOException {
    List<String> hidden =
        System.getenv().keySet().stream().filter(k -> !ProcessRunner.INHERITED_VARIABLES.contains(k)).toList();
    assertFalse(hidden.isEmpty(), "the test needs a variable of its own environment that is not inherited");

    ProcessRunner.Result result =
        ProcessRunner.run(List.of("env"), dir, Map.of("GRANTED", "yes"), "", Duration.ofSeconds(30));

    List<String> seen =
        result.outputTail().lines().filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('='))).toList();
    assertTrue(seen.contains("GRANTED"), seen.toString());
    for (String name : seen) {
      assertTrue(
          name.equals("GRANTED") || name.equals(ProcessRunner.TOKEN_VARIABLE)
              || ProcessRunner.INHERITED_VARIABLES.contains(name) || List.of("PWD", "SHLVL", "_").contains(name),
          "not granted, yet visible: " + name);
    }
    hidden.forEach(name -> assertFalse(seen.contains(name), name + " leaked from the parent environment"));
    HIDDEN_VARIABLES_CHECKED.addAndGet(hidden.size());
  }

  /**
   * Whether {@code pid} is still running once the kill had time to land. A killed orphan stays a
   * zombie until init reaps it, and {@link ProcessHandle#isAlive} reports zombies as alive, so the
   * process state in {@code /proc} decides when it exists.
   */
  private static boolean runningAfterKill(long pid) throws Exception {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || isZombie(pid)) {
      return false;
    }
    try {
      handle.get().onExit().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Decided below.
    }
    return handle.get().isAlive() && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String text = Files.readString(stat);
      // "pid (comm) S ...": the state follows the last ')'.
      return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return !Files.exists(stat);
    }
  }

  @Test
  void outputIsKeptWhenABackgroundChildOutlivesTheProcess() throws Exception {
    Path childPid = dir.resolve("child.pid");
    try {
      ProcessRunner.Result result =
          sh("echo hello; sleep 30 & echo $! > child.pid; exit 0", Duration.ofSeconds(30));
      assertEquals(0, result.exitCode());
      assertTrue(result.outputTail().contains("hello"), "tail: '" + result.outputTail() + "'");
    } finally {
      if (Files.exists(childPid)) {
        long pid = Long.parseLong(Files.readString(childPid).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
