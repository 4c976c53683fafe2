package dev.converge.transforms.testing;

import dev.converge.transforms.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real git repositories for tests, made with the git CLI under an isolated configuration (no
 * global or system config, fixed identity, branch {@code main}).
 */
public final class GitRepos {
  private static final long GIT_TIMEOUT_SECONDS = 60;

  private GitRepos() {}

  /**
   * Creates a repository in {@code dir} (made if missing) holding {@code files} (relative path to
   * content), commits them and returns the full commit id.
   */
  public static String create(Path dir, Map<String, String> files) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(dir, "init", "--quiet");
    return commit(dir, files, "initial");
  }

  /** Writes {@code files} into the repository's working tree, commits all and returns the id. */
  public static String commit(Path dir, Map<String, String> files, String message) {
    write(dir, files);
    git(dir, "add", "--all");
    git(dir, "commit", "--quiet", "--allow-empty", "-m", message);
    return git(dir, "rev-parse", "HEAD").strip();
  }

  /**
   * The unified diff (as {@code git diff} makes it, with {@code a/} and {@code b/} prefixes) that
   * turns {@code commit} of {@code repo} into the same tree with {@code changes} written over it.
   * The repository itself is not touched: the change is made in a throw-away clone.
   */
  public static String diff(Path repo, String commit, Map<String, String> changes) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("converge-gitrepos-");
      Path clone = scratch.resolve("clone");
      git(scratch, "clone", "--quiet", "--no-checkout", repo.toString(), clone.toString());
      git(clone, "checkout", "--quiet", "--detach", commit);
      write(clone, changes);
      git(clone, "add", "--all");
      return git(clone, "diff", "--cached", "--binary", "--no-color", commit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(scratch);
    }
  }

  /** A task on {@code repo} at {@code commit} whose test command is {@code true}. */
  public static Task task(String id, Path repo, String commit) {
    return task(id, repo, commit, "true", 30);
  }

  /**
   * A task on {@code repo} at {@code commit}; its target is the repository's folder name, so tasks
   * of the same repository share a target.
   */
  public static Task task(
      String id, Path repo, String commit, String testCommand, int testTimeoutSeconds) {
    return new Task(
        id,
        repo.getFileName().toString(),
        repo.toAbsolutePath().toString(),
        commit,
        "Implement " + id,
        List.of(),
        "",
        testCommand,
        testTimeoutSeconds);
  }

  /** Runs {@code git args...} in {@code dir}; returns its standard output, throws on failure. */
  public static String git(Path dir, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "git",
                "-c", "user.name=Test",
                "-c", "user.email=test@example.com",
                "-c", "init.defaultBranch=main",
                "-c", "commit.gpgsign=false",
                "-c", "core.hooksPath=/dev/null"));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path stderr = null;
    try {
      stderr = Files.createTempFile("converge-git-", ".err");
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "git "
                + String.join(" ", args)
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + Files.readString(stderr, StandardCharsets.UTF_8).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    } finally {
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Writes each relative path's content under {@code dir}, creating parent folders. */
  public static void write(Path dir, Map<String, String> files) {
    try {
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path path = dir.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
