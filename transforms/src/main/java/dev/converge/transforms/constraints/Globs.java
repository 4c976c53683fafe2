package dev.converge.transforms.constraints;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * Globs over repository paths, as {@link java.nio.file.FileSystem#getPathMatcher} reads them
 * ({@code *} within a folder, {@code **} across folders, {@code {a,b}}, {@code [abc]}), with one
 * addition: a glob that starts with {@code **}{@code /} also matches at the top of the repository,
 * so {@code **}{@code /*.py} matches {@code setup.py}.
 */
public final class Globs {
  private Globs() {}

  /** Throws {@link IllegalArgumentException} when {@code glob} is not a valid glob. */
  public static PathMatcher compile(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }

  public static boolean matches(String glob, String path) {
    Path p;
    try {
      p = Path.of(path);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
    if (compile(glob).matches(p)) {
      return true;
    }
    return glob.startsWith("**/") && compile(glob.substring(3)).matches(p);
  }

  /** Whether {@code entry} has glob syntax (otherwise it names one path). */
  public static boolean isGlob(String entry) {
    return entry.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }
}
