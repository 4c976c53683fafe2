package dev.converge.transforms.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external process (an agent or a test command) with a reduced environment, a timeout
 * that kills the whole process tree, and a bounded tail of its output.
 */
public final class ProcessRunner {

  /** Variables kept from Converge's own environment; everything else must be granted explicitly. */
  static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

  /** Default number of output characters kept per process. */
  public static final int DEFAULT_TAIL_CHARS = 4000;

  /**
   * What a process did.
   *
   * @param exitCode the exit code, or -1 when it was killed on timeout
   * @param timedOut whether it was killed because it ran too long
   * @param outputTail the last characters of its combined stdout and stderr
   * @param durationMs wall time
   */
  public record Result(int exitCode, boolean timedOut, String outputTail, long durationMs) {
    public boolean succeeded() {
      return exitCode == 0 && !timedOut;
    }
  }

  private ProcessRunner() {}

  public static Result run(
      List<String> argv, Path workingDir, Map<String, String> env, String stdin, Duration timeout)
      throws IOException {
    return run(argv, workingDir, env, stdin, timeout, DEFAULT_TAIL_CHARS);
  }

  public static Result run(
      List<String> argv,
      Path workingDir,
      Map<String, String> env,
      String stdin,
      Duration timeout,
      int tailChars)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().retainAll(INHERITED_VARIABLES);
    environment.putAll(env);

    long start = System.nanoTime();
    Process process = builder.start();
    TailReader tail = new TailReader(process.getInputStream(), tailChars);
    Thread reader = new Thread(tail, "process-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    writeStdin(process, stdin);

    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      killTree(process.toHandle());
    }
    int exitCode = finished ? process.exitValue() : -1;
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Result(exitCode, !finished, tail.text(), durationMs);
  }

  private static void writeStdin(Process process, String stdin) {
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null && !stdin.isEmpty()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process may legitimately exit without reading its input.
    }
  }

  /** Kills children first so none of them is re-parented and left running. */
  static void killTree(ProcessHandle root) {
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
    try {
      root.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Already reported as a timeout; a process that survives SIGKILL is beyond our reach.
    }
  }

  /** Keeps only the last {@code limit} characters a process wrote, however much it writes. */
  private static final class TailReader implements Runnable {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile String text = "";

    TailReader(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      int read;
      try {
        while ((read = in.read(buffer)) >= 0) {
          synchronized (kept) {
            kept.write(buffer, 0, read);
            if (kept.size() > 4 * limit) {
              byte[] all = kept.toByteArray();
              kept.reset();
              kept.write(all, all.length - limit, limit);
            }
          }
        }
      } catch (IOException e) {
        // The stream closes when the process is killed.
      } finally {
        synchronized (kept) {
          String all = kept.toString(StandardCharsets.UTF_8);
          text = all.length() > limit ? "..." + all.substring(all.length() - limit) : all;
        }
      }
    }

    String text() {
      return text;
    }
  }
}
