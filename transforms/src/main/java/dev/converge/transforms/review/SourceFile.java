package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.Objects;

/**
 * A file to review, as the driver found it: where it is and the hash of its content. Its text is
 * read by the workers ({@link ChunkFiles}), so a large review does not carry every file in the
 * pipeline's definition.
 *
 * @param target the id of the target (repository or folder) the file belongs to
 * @param path the file's path in its target, with '/' separators
 * @param hash the hash of its content: the git blob id for a file of a repository, the SHA-256 of
 *     its bytes for a file of a plain folder
 * @param root the target's absolute folder (for a repository: its git folder or work tree)
 * @param commit the commit to read the file from; empty for a plain folder, whose file is read from
 *     disk
 */
public record SourceFile(String target, String path, String hash, String root, String commit)
    implements Serializable {
  public SourceFile {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(path, "path");
    hash = hash == null ? "" : hash;
    commit = commit == null ? "" : commit;
  }

  /** {@code target/path}: the file's key in findings, state files and reports. */
  public String key() {
    return key(target, path);
  }

  public static String key(String target, String path) {
    return target + "/" + path;
  }

  public boolean inGit() {
    return !commit.isEmpty();
  }
}
