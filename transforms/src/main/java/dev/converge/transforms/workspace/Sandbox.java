package dev.converge.transforms.workspace;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs untrusted commands (tests of agent-written code, sandboxed command agents) under Debian's
 * {@code bubblewrap}: the whole file system read-only, a private {@code /tmp}, no network, and only
 * the command's checkout writable. It protects the machine and the user's files from what a
 * candidate's code does while it is tested (writing outside its checkout, reaching the network,
 * reading secrets through the network); it does not hide files from reading.
 *
 * <p>{@link #AUTO} uses the sandbox when {@code bwrap} works on this machine and runs the command
 * as it is otherwise; {@link #ON} refuses to run without it; {@link #OFF} never uses it.
 */
public enum Sandbox implements Serializable {
  AUTO,
  ON,
  OFF;

  private static final String BWRAP = "/usr/bin/bwrap";

  /** Whether bubblewrap can make a sandbox here (checked once: installed, and namespaces allowed). */
  private static volatile Boolean works;

  public static Sandbox named(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  public static boolean available() {
    Boolean known = works;
    if (known == null) {
      known = probe();
      works = known;
    }
    return known;
  }

  private static boolean probe() {
    if (!Files.isExecutable(Path.of(BWRAP))) {
      return false;
    }
    try {
      Path dir = Files.createTempDirectory("converge-sandbox-probe");
      try {
        return ProcessRunner.runTool(wrapped(List.of("true"), dir), dir, Map.of(), Duration.ofSeconds(10)).succeeded();
      } finally {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code argv} as it must be started to run in {@code writable} under this policy; {@code
   * readable} folders under /tmp stay visible (read only) in the private /tmp.
   *
   * @throws IOException with {@link #ON} when bubblewrap does not work here
   */
  public List<String> wrap(List<String> argv, Path writable, Path... readable) throws IOException {
    if (this == OFF || (this == AUTO && !available())) {
      return argv;
    }
    if (!available()) {
      throw new IOException(
          "the sandbox is on but bubblewrap does not work here (install Debian's 'bubblewrap';"
              + " containers may need user namespaces)");
    }
    return wrapped(argv, writable, readable);
  }

  private static List<String> wrapped(List<String> argv, Path writable, Path... readable) {
    String dir = writable.toAbsolutePath().toString();
    List<String> wrapped =
        new ArrayList<>(
            List.of(BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
    for (Path path : readable) {
      String shown = path.toAbsolutePath().toString();
      wrapped.addAll(List.of("--ro-bind", shown, shown));
    }
    wrapped.addAll(List.of("--bind", dir, dir, "--unshare-net", "--die-with-parent", "--chdir", dir, "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  /** Whether commands really run in the sandbox under this policy on this machine. */
  public boolean active() {
    return this == ON || (this == AUTO && available());
  }
}
