package dev.converge.transforms.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bubblewrap sandbox lets a command do: its checkout, and nothing else. */
class SandboxTest {
  @TempDir Path tmp;

  private ProcessRunner.Result run(Sandbox sandbox, Path checkout, String script) throws Exception {
    return ProcessRunner.run(
        sandbox.wrap(List.of("sh", "-c", script), checkout), checkout, Map.of(), "", Duration.ofSeconds(30));
  }

  @Test
  void aSandboxedCommandWritesOnlyItsCheckoutAndReachesNoNetwork() throws Exception {
    assumeTrue(Sandbox.available(), "bubblewrap does not work on this machine");
    Path checkout = Files.createDirectories(tmp.resolve("checkout"));
    Path outside = Files.createDirectories(Path.of(System.getProperty("user.home"), ".converge-sandbox-test"));
    Path canary = outside.resolve("canary-" + System.nanoTime());
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertTrue(run(Sandbox.ON, checkout, "echo ok > inside.txt").succeeded());
      assertEquals("ok\n", Files.readString(checkout.resolve("inside.txt")));

      assertFalse(run(Sandbox.ON, checkout, "echo x > " + canary).succeeded());
      assertFalse(Files.exists(canary), "nothing is written outside the checkout");

      String connect =
          "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", " + server.getLocalPort() + "), 5)'";
      assertFalse(run(Sandbox.ON, checkout, connect).succeeded(), "no network in the sandbox");
      assertTrue(run(Sandbox.OFF, checkout, connect).succeeded(), "the same command reaches it outside");
    } finally {
      Files.deleteIfExists(canary);
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void offRunsCommandsAsTheyAreAndAutoSandboxesExactlyWhereBubblewrapWorks() throws Exception {
    List<String> argv = List.of("sh", "-c", "true");
    assertEquals(argv, Sandbox.OFF.wrap(argv, tmp));
    List<String> auto = Sandbox.AUTO.wrap(argv, tmp);
    assertEquals(Sandbox.available(), !auto.equals(argv));
    assertEquals(Sandbox.available(), Sandbox.AUTO.active());
    if (Sandbox.available()) {
      assertEquals(auto, Sandbox.ON.wrap(argv, tmp));
      assertEquals(argv, auto.subList(auto.size() - argv.size(), auto.size()));
    } else {
      assertThrows(java.io.IOException.class, () -> Sandbox.ON.wrap(argv, tmp));
    }
  }
}
