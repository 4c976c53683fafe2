package dev.converge.pipelines.plan;

import dev.converge.pipelines.spec.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Resolves the spec's targets with JGit, read-only. */
public final class Targets {
  private Targets() {}

  /** The id of a target: its {@code id}, or else the last folder name of its path. */
  public static String idOf(TargetSpec spec) {
    if (spec.id() != null && !spec.id().isBlank()) {
      return spec.id();
    }
    Path name = Path.of(spec.path()).normalize().getFileName();
    return name == null ? "repo" : name.toString();
  }

  public static Target resolve(TargetSpec spec, int index, Path specDir) throws PlanException {
    String field = "targets[" + index + "]";
    Path repoDir = specDir.resolve(spec.path()).toAbsolutePath().normalize();
    if (!Files.isDirectory(repoDir)) {
      throw new PlanException(field + ".path: folder " + repoDir + " does not exist");
    }
    String ref = spec.ref() == null || spec.ref().isBlank() ? "HEAD" : spec.ref();
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setWorkTree(repoDir.toFile());
    builder.setMustExist(true);
    try (Repository repository = builder.readEnvironment().findGitDir(repoDir.toFile()).build()) {
      if (repository.getWorkTree() == null
          || !repository.getWorkTree().toPath().toAbsolutePath().normalize().equals(repoDir)) {
        throw new PlanException(
            field + ".path: " + repoDir + " is not the top folder of a git repository");
      }
      ObjectId id = repository.resolve(ref + "^{commit}");
      if (id == null) {
        throw new PlanException(field + ".ref: '" + ref + "' is not a commit in " + repoDir);
      }
      try (RevWalk walk = new RevWalk(repository)) {
        RevCommit commit = walk.parseCommit(id);
        return new Target(idOf(spec), repoDir, commit.getName(), listFiles(repository, commit));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new PlanException(
          field + ".path: " + repoDir + " is not a readable git repository (" + e.getMessage() + ")", e);
    }
  }

  private static List<String> listFiles(Repository repository, RevCommit commit) throws IOException {
    List<String> files = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        files.add(walk.getPathString());
      }
    }
    files.sort(null);
    return files;
  }
}
