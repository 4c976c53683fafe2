package dev.converge.transforms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder outside every worktree that no agent, patch or test may change: its {@link #hash}
 * covers the name, type, mode, link target and content of every entry under it.
 */
public final class Canary {
  private final Path dir;

  private Canary(Path dir) {
    this.dir = dir;
  }

  /** Creates a canary folder with a file and a subfolder in {@code dir}. */
  public static Canary in(Path dir) {
    GitRepos.write(dir, java.util.Map.of("keep.txt", "canary\n", "sub/inner.txt", "inner\n"));
    return new Canary(dir);
  }

  /** Watches an existing folder, such as the user's repository. */
  public static Canary watching(Path dir) {
    return new Canary(dir);
  }

  public Path dir() {
    return dir;
  }

  /** A hash of everything under the folder (not following links). */
  public String hash() {
    try (Stream<Path> paths = Files.walk(dir)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path path : paths.sorted().toList()) {
        digest.update(dir.relativize(path).toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        if (Files.isSymbolicLink(path)) {
          digest.update(("link:" + Files.readSymbolicLink(path)).getBytes(StandardCharsets.UTF_8));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          digest.update(Files.readAllBytes(path));
          digest.update(Files.getPosixFilePermissions(path).toString().getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The entries under the folder, for a failure message. */
  public List<String> listing() {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.map(p -> dir.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
