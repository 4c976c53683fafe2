package dev.converge.runners;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import dev.converge.transforms.workspace.Worktrees;

/**
 * Lays out the offline demo: copies {@code specs/examples/demo/} and turns its {@code repo/} folder
 * into a git repository with one commit (made with JGit, with a fixed author and date so the demo's
 * base commit is the same on every machine).
 */
final class Demo {
  /** Where, inside the output folder, the demo's spec and repository are laid out. */
  static final String INPUT_FOLDER = "demo-input";

  /** Set by {@code scripts/converge} to the checkout the jar was built from. */
  static final String HOME_PROPERTY = "converge.home";

  private static final String SOURCES = "specs/examples/demo";
  private static final Instant BASE_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private Demo() {}

  /** The demo's source folder in the Converge checkout. */
  static Path sources() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null) {
      return Path.of(home, SOURCES);
    }
    // Without the launcher (tests, IDE): walk up from the working folder to the checkout's root.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(SOURCES))) {
        return dir.resolve(SOURCES);
      }
    }
    throw new IllegalArgumentException(
        "cannot find " + SOURCES + "; run the demo through scripts/converge or set -D" + HOME_PROPERTY);
  }

  /** Copies the demo to {@code destination} and returns the path of its spec. */
  static Path materialize(Path sources, Path destination) throws IOException {
    if (!Files.isRegularFile(sources.resolve("demo.yaml"))) {
      throw new IllegalArgumentException(sources + " does not hold the demo (no demo.yaml)");
    }
    Worktrees.delete(destination);
    copyTree(sources, destination);
    commitAll(destination.resolve("repo"));
    return destination.resolve("demo.yaml");
  }

  private static void commitAll(Path repo) throws IOException {
    PersonIdent author =
        new PersonIdent(
            "Converge Demo", "demo@converge.invalid", Date.from(BASE_TIME), TimeZone.getTimeZone(ZoneOffset.UTC));
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("textkit: initial import")
          .setAuthor(author)
          .setCommitter(author)
          .setSign(false)
          .call();
    } catch (GitAPIException e) {
      throw new IOException("cannot create the demo repository in " + repo + ": " + e.getMessage(), e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (dir.getFileName().toString().equals("__pycache__")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
