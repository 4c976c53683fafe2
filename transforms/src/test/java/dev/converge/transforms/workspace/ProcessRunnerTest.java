package dev.converge.transforms.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  @TempDir Path dir;

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

    assertFalse(runningAfterKill(pid), "child process " + pid + " survived the timeout");
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
