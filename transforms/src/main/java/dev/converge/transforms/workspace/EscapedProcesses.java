package dev.converge.transforms.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds and kills processes that escaped a run's process group (a double fork into a new session)
 * by the token each run puts in its environment, read from {@code /proc} (so only on Linux).
 *
 * <p>One look at {@code /proc} reads the environment of every process on the machine, so runs that
 * end together share one: a run's token joins the next sweep, whose first token's thread does the
 * sweep for all of them once the sweep in progress (if any) is over, so every token is looked for
 * by a sweep that started after its run ended. Measured with 64 command agents ending together per
 * round: one sweep per run scanned {@code /proc} 64 times a round.
 */
final class EscapedProcesses {
  private static final Path PROC = Path.of("/proc");
  private static final Object LOCK = new Object();

  /** The tokens waiting for the next sweep, and their sweep's completion; null when none wait. */
  private static Sweep next;

  private static boolean sweeping;

  private EscapedProcesses() {}

  /**
   * Kills every process that still carries {@code marker} in its environment; returns when a sweep
   * that started after this call is over. A process that cleared its own environment is beyond
   * this; a sandbox would be needed for it.
   */
  static void killCarrying(String marker) {
    if (!Files.isDirectory(PROC)) {
      return;
    }
    Sweep sweep;
    boolean first;
    synchronized (LOCK) {
      if (next == null) {
        next = new Sweep();
      }
      sweep = next;
      first = sweep.markers.isEmpty();
      sweep.markers.add(marker.getBytes(StandardCharsets.UTF_8));
    }
    if (first) {
      run(sweep);
    } else {
      sweep.done.join();
    }
  }

  private static void run(Sweep sweep) {
    try {
      synchronized (LOCK) {
        while (sweeping) {
          LOCK.wait();
        }
        sweeping = true;
        next = null; // later tokens wait for the sweep after this one
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (LOCK) {
        if (next == sweep) {
          next = null;
        }
      }
      sweep.done.complete(null);
      return;
    }
    try {
      long self = ProcessHandle.current().pid();
      List<ProcessHandle> escaped =
          ProcessHandle.allProcesses()
              .filter(p -> p.pid() != self && carriesAny(p.pid(), sweep.markers))
              .toList();
      escaped.forEach(ProcessRunner::signalTree);
      ProcessRunner.awaitExit(escaped);
    } finally {
      synchronized (LOCK) {
        sweeping = false;
        LOCK.notifyAll();
      }
      sweep.done.complete(null);
    }
  }

  private static boolean carriesAny(long pid, List<byte[]> markers) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | SecurityException e) {
      return false; // gone already, or not ours to read
    }
    for (byte[] marker : markers) {
      if (indexOf(environ, marker) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The tokens of one sweep. */
  private static final class Sweep {
    final List<byte[]> markers = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
  }
}
