package dev.converge.transforms.workspace;

import dev.converge.transforms.model.Texts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external process (an agent or a test command) with a reduced environment, a timeout
 * that kills the whole process tree, and a bounded tail of its output.
 */
public final class ProcessRunner {

  /** Variables kept from Converge's own environment; everything else must be granted explicitly. */
  static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

  /**
   * A variable every agent and test process gets, with a value of its own per run: processes that
   * left the process group (a double fork into a new session) are found by it and killed too.
   */
  static final String TOKEN_VARIABLE = "CONVERGE_PROCESS_TOKEN";

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path KILL = Path.of("/bin/kill");

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

  /**
   * Makes the JVM start processes with {@code vfork} instead of its default {@code posix_spawn}
   * of a helper that then executes the command: one exec per process instead of two, which about
   * halves the cost of the many short processes Converge starts (git, agents, tests; measured: 1000
   * calls of a command agent that does nothing, 64 at once, took 24 s with the default and 15 s
   * with this).
   * Only on Linux, only when the property is not set, and only effective when called before the
   * JVM starts its first process (the CLI's {@code main} does).
   */
  public static void useFastProcessLaunch() {
    if (System.getProperty("os.name", "").startsWith("Linux")
        && System.getProperty("jdk.lang.Process.launchMechanism") == null
        && Runtime.version().feature() < 21) {
      System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
    }
  }

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
    return run(argv, workingDir, env, stdin, timeout, tailChars, true);
  }

  /**
   * Runs one of Converge's own short tool commands ({@code git}): like {@link #run}, but not in a
   * process group of its own and without the group kill after a normal exit (which costs a {@code
   * kill} process per run). Only for trusted tools that leave nothing behind; agents and tests
   * always go through {@link #run}.
   */
  public static Result runTool(
      List<String> argv, Path workingDir, Map<String, String> env, Duration timeout)
      throws IOException {
    return runTool(argv, workingDir, env, timeout, DEFAULT_TAIL_CHARS);
  }

  /** Like {@link #runTool(List, Path, Map, Duration)}, keeping the last {@code tailChars} of output. */
  public static Result runTool(
      List<String> argv, Path workingDir, Map<String, String> env, Duration timeout, int tailChars)
      throws IOException {
    return run(argv, workingDir, env, "", timeout, tailChars, false);
  }

  private static Result run(
      List<String> argv,
      Path workingDir,
      Map<String, String> env,
      String stdin,
      Duration timeout,
      int tailChars,
      boolean isolate)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(isolate ? inOwnProcessGroup(argv) : argv).directory(workingDir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().retainAll(INHERITED_VARIABLES);
    environment.putAll(env);
    String token = isolate ? java.util.UUID.randomUUID().toString() : null;
    if (isolate) {
      environment.put(TOKEN_VARIABLE, token);
    }

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
    int exitCode = finished ? process.exitValue() : -1;
    // Also after a normal exit: children left in the background would hold the output pipe open
    // and keep running after the agent or test is over.
    if (isolate) {
      killTree(process.toHandle());
      EscapedProcesses.killCarrying(TOKEN_VARIABLE + "=" + token);
    } else if (!finished) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
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

  /**
   * Starts the command as the leader of a new process group (with {@code setsid}, part of every
   * Linux base system), so that the whole group can be killed, including children that were
   * re-parented when their parent exited.
   */
  private static List<String> inOwnProcessGroup(List<String> argv) {
    if (!Files.isExecutable(SETSID)) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(argv.size() + 1);
    wrapped.add(SETSID.toString());
    wrapped.addAll(argv);
    return wrapped;
  }

  /** Kills the process group of {@code root} (when it has one) and every descendant it still has. */
  static void killTree(ProcessHandle root) {
    signalTree(root);
    awaitExit(List.of(root));
  }

  /** Sends SIGKILL to the process group of {@code root} and every descendant it still has. */
  static void signalTree(ProcessHandle root) {
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
    if (Files.isExecutable(SETSID) && Files.isExecutable(KILL)) {
      try {
        new ProcessBuilder(KILL.toString(), "-KILL", "--", "-" + root.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // Nothing left to kill, or kill is missing: the descendants were already killed above.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits up to 10 s in all for killed processes to be gone. */
  static void awaitExit(List<ProcessHandle> killed) {
    try {
      CompletableFuture.allOf(
              killed.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // A process that survives SIGKILL is beyond our reach; the result already says what happened.
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
          text = Texts.tail(all, limit);
        }
      }
    }

    String text() {
      return text;
    }
  }
}
