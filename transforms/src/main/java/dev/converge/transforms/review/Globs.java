package dev.converge.transforms.review;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Glob matching of relative file paths, as {@link java.nio.file.FileSystem#getPathMatcher} does it
 * ({@code *} stays in one folder, {@code **} crosses folders), plus one convenience: a glob that
 * starts with {@code **}{@code /} also matches files in the top folder, so {@code **}{@code /*.py}
 * matches {@code setup.py} as well as {@code app/db.py}.
 */
public final class Globs {
  private static final Map<String, PathMatcher> CACHE = new ConcurrentHashMap<>();

  private Globs() {}

  public static boolean matches(String glob, String path) {
    Path file = Path.of(path);
    if (matcher(glob).matches(file)) {
      return true;
    }
    return glob.startsWith("**/") && matcher(glob.substring(3)).matches(file);
  }

  /** Throws {@link IllegalArgumentException} when {@code glob} is not a valid glob. */
  public static void check(String glob) {
    matcher(glob);
  }

  private static PathMatcher matcher(String glob) {
    return CACHE.computeIfAbsent(glob, g -> FileSystems.getDefault().getPathMatcher("glob:" + g));
  }
}
