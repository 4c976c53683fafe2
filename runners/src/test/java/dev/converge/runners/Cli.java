package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test and fails the test when it fails. */
final class Cli {
  private Cli() {}

  static String run(Path dir, String... argv) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of(argv)).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(2, TimeUnit.MINUTES);
    assertEquals(0, process.exitValue(), String.join(" ", argv) + " failed:\n" + output);
    return output;
  }
}
