package dev.converge.runners;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the Converge checkout the jar was built from (examples, default agents). */
final class ConvergeHome {
  private ConvergeHome() {}

  /** {@code relative} in the checkout: from {@code -Dconverge.home}, else up from the working folder. */
  static Path resolve(String relative) {
    String home = System.getProperty(Demo.HOME_PROPERTY);
    if (home != null) {
      return Path.of(home, relative);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalArgumentException(
        "cannot find " + relative + "; run through scripts/converge or set -D" + Demo.HOME_PROPERTY);
  }
}
