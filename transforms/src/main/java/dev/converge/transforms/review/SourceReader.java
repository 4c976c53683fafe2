package dev.converge.transforms.review;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads the bytes of {@link SourceFile}s: from disk for plain folders, from the commit with JGit
 * for repositories (never from a work tree, which may hold uncommitted changes). Keeps each
 * repository open until closed; not thread safe.
 */
public final class SourceReader implements AutoCloseable {
  private final Map<String, Git> repositories = new HashMap<>();

  public byte[] read(SourceFile file) throws IOException {
    if (!file.inGit()) {
      Path root = Path.of(file.root()).toAbsolutePath().normalize();
      Path path = root.resolve(file.path()).normalize();
      if (!path.startsWith(root)) {
        throw new IOException(file.path() + " is outside " + root);
      }
      return Files.readAllBytes(path);
    }
    Git git = repositories.get(file.root());
    if (git == null) {
      git = Git.open(Path.of(file.root()).toFile());
      repositories.put(file.root(), git);
    }
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(file.commit()));
      try (TreeWalk tree = TreeWalk.forPath(git.getRepository(), file.path(), commit.getTree())) {
        if (tree == null) {
          throw new FileNotFoundException(file.path() + " is not in commit " + file.commit());
        }
        return git.getRepository().open(tree.getObjectId(0)).getBytes();
      }
    }
  }

  @Override
  public void close() {
    repositories.values().forEach(Git::close);
    repositories.clear();
  }
}
