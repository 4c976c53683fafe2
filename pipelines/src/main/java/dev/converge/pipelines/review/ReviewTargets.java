package dev.converge.pipelines.review;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.plan.Target;
import dev.converge.pipelines.plan.Targets;
import dev.converge.pipelines.spec.TargetSpec;
import dev.converge.transforms.review.Globs;
import dev.converge.transforms.review.SourceFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Resolves the targets of a review job into the files to review, with the hash of their content.
 * A target is a git repository (local folder, URL, list or glob, resolved by {@link Targets}; files
 * are read from the commit of its {@code ref}) or a plain folder of documents (a {@code path}
 * without {@code .git}; files are read from disk, {@code .git} folders skipped). A target's {@code
 * paths} globs narrow its files.
 */
public final class ReviewTargets {
  private ReviewTargets() {}

  /**
   * One resolved target.
   *
   * @param id the target id
   * @param root its folder (for a repository: its work tree or Converge's clone)
   * @param commit the commit its files are read from; empty for a plain folder
   * @param files every file of the target in its scope, sorted by path
   */
  public record ReviewTarget(String id, Path root, String commit, List<SourceFile> files) {
    public ReviewTarget {
      files = List.copyOf(files);
    }
  }

  public static List<ReviewTarget> resolveAll(List<TargetSpec> specs, Path specDir, Path cloneDir)
      throws PlanException {
    List<ReviewTarget> targets = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      for (ReviewTarget target : resolve(specs.get(i), i, specDir, cloneDir)) {
        String first = origins.putIfAbsent(target.id(), "targets[" + i + "] (" + target.root() + ")");
        if (first != null) {
          throw new PlanException(
              "targets[" + i + "]: two targets are named '" + target.id() + "': " + first + " and "
                  + target.root() + "; give one of them another id");
        }
        targets.add(target);
      }
    }
    return targets;
  }

  private static List<ReviewTarget> resolve(TargetSpec spec, int index, Path specDir, Path cloneDir)
      throws PlanException {
    String field = "targets[" + index + "]";
    if (spec.path() != null) {
      Path dir = specDir.resolve(spec.path()).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new PlanException(field + ".path: folder " + dir + " does not exist");
      }
      if (!Files.exists(dir.resolve(".git"))) {
        if (spec.ref() != null) {
          throw new PlanException(
              field + ".ref: " + dir + " is a plain folder, not a git repository; only repositories take a 'ref'");
        }
        return List.of(plainFolder(field, Targets.idOf(spec), dir, spec.paths()));
      }
    }
    List<ReviewTarget> targets = new ArrayList<>();
    for (Target target : Targets.resolve(spec, index, specDir, cloneDir)) {
      targets.add(repository(field, target));
    }
    return targets;
  }

  private static ReviewTarget plainFolder(String field, String id, Path dir, List<String> paths)
      throws PlanException {
    List<SourceFile> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
              return folder.getFileName() != null && folder.getFileName().toString().equals(".git")
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              if (attrs.isRegularFile()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                if (paths.isEmpty() || paths.stream().anyMatch(glob -> Globs.matches(glob, relative))) {
                  files.add(new SourceFile(id, relative, sha256(file), dir.toString(), ""));
                }
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | IllegalArgumentException e) {
      throw new PlanException(field + ": cannot list " + dir + " (" + e.getMessage() + ")", e);
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return new ReviewTarget(id, dir, "", files);
  }

  /** A repository: its files at the resolved commit, with their git blob ids as hashes. */
  private static ReviewTarget repository(String field, Target target) throws PlanException {
    Map<String, String> blobs = new HashMap<>();
    try (Git git = Git.open(target.repo().toFile());
        RevWalk walk = new RevWalk(git.getRepository());
        TreeWalk tree = new TreeWalk(git.getRepository())) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(target.commit())).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        blobs.put(tree.getPathString(), tree.getObjectId(0).getName());
      }
    } catch (IOException e) {
      throw new PlanException(field + ": cannot read " + target.repo() + " (" + e.getMessage() + ")", e);
    }
    List<SourceFile> files = new ArrayList<>();
    for (String path : target.files()) {
      files.add(new SourceFile(target.id(), path, blobs.get(path), target.repo().toString(), target.commit()));
    }
    return new ReviewTarget(target.id(), target.repo(), target.commit(), files);
  }

  private static String sha256(Path file) throws IOException {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return "sha256:" + HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
