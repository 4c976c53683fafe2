package dev.converge.transforms.workspace;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Reads files of a repository at a commit, read-only (JGit), or of a checkout on disk. */
public final class GitFiles {
  /** Files larger than this are described, not read. */
  public static final int MAX_READ_BYTES = 4 * 1024 * 1024;

  /**
   * One file as an agent may see it.
   *
   * @param path path in the repository
   * @param exists whether the file exists (at the commit, or on disk)
   * @param binary whether it looks binary (holds a NUL byte); its text is then empty
   * @param size its size in bytes
   * @param text its content (UTF-8), empty when absent, binary or too large
   */
  public record FileAt(String path, boolean exists, boolean binary, long size, String text) {}

  private GitFiles() {}

  /** Each of {@code paths} at {@code commit} of the repository at {@code repoPath}. */
  public static List<FileAt> atCommit(String repoPath, String commit, List<String> paths)
      throws IOException {
    List<FileAt> files = new ArrayList<>();
    if (paths.isEmpty()) {
      return files;
    }
    try (Repository repository =
            new FileRepositoryBuilder()
                .setMustExist(true)
                .readEnvironment()
                .findGitDir(new File(repoPath))
                .build();
        RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(commit + "^{commit}");
      if (id == null) {
        throw new IOException("commit " + commit + " is not in " + repoPath);
      }
      RevCommit revCommit = walk.parseCommit(id);
      for (String path : paths) {
        try (TreeWalk tree = TreeWalk.forPath(repository, path, revCommit.getTree())) {
          if (tree == null || tree.isSubtree()) {
            files.add(new FileAt(path, false, false, 0, ""));
            continue;
          }
          ObjectLoader loader = repository.open(tree.getObjectId(0));
          long size = loader.getSize();
          if (size > MAX_READ_BYTES) {
            files.add(new FileAt(path, true, false, size, ""));
            continue;
          }
          files.add(describe(path, loader.getBytes()));
        }
      }
    }
    return files;
  }

  /** Each of {@code paths} as it is now in the folder {@code dir}. */
  public static List<FileAt> onDisk(Path dir, List<String> paths) throws IOException {
    List<FileAt> files = new ArrayList<>();
    for (String path : paths) {
      Path file = dir.resolve(path).normalize();
      if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
        files.add(new FileAt(path, false, false, 0, ""));
      } else if (Files.size(file) > MAX_READ_BYTES) {
        files.add(new FileAt(path, true, false, Files.size(file), ""));
      } else {
        files.add(describe(path, Files.readAllBytes(file)));
      }
    }
    return files;
  }

  private static FileAt describe(String path, byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return new FileAt(path, true, true, bytes.length, "");
      }
    }
    return new FileAt(path, true, false, bytes.length, new String(bytes, StandardCharsets.UTF_8));
  }
}
