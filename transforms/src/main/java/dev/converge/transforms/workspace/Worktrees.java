package dev.converge.transforms.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Private git checkouts of a target repository at a fixed commit, made with the git CLI.
 *
 * <p>A worktree is a {@code git clone --shared} into a folder Converge owns: it reads the user's
 * objects but never writes to the user's repository, index, branches or working tree. Hooks and the
 * user's global git configuration are switched off so that neither an agent's planted hook nor a
 * local setting changes what Converge sees.
 */
public final class Worktrees {
  static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);
  static final Map<String, String> GIT_ENV =
      Map.of(
          "GIT_CONFIG_NOSYSTEM", "1",
          "GIT_CONFIG_GLOBAL", "/dev/null",
          "GIT_TERMINAL_PROMPT", "0");

  private Worktrees() {}

  /** Clones {@code repo} into a new folder under {@code parent} and checks out {@code commit}. */
  public static Path checkout(String repo, String commit, Path parent, String label)
      throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, safeName(label) + "-");
    git(parent, "clone", "--quiet", "--no-checkout", "--shared", repo, dir.toString());
    git(dir, "checkout", "--quiet", "--detach", commit);
    return dir;
  }

  /**
   * Like {@link #checkout}, but cheaper: instead of {@code git clone --shared} plus {@code git
   * checkout} (two processes that also copy the user's refs), the private repository is written
   * directly (its objects borrowed from {@code repo} through {@code objects/info/alternates}, HEAD
   * detached at {@code commit}) and filled with one {@code git reset --hard}. It has no branches
   * and no remote. Used for the one checkout per command-agent call, where this cost adds up.
   */
  public static Path checkoutBorrowing(String repo, String commit, Path parent, String label)
      throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, safeName(label) + "-");
    try {
      initBorrowingRepository(dir, repo, commit);
      git(dir, "reset", "--quiet", "--hard", commit);
      return dir;
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /**
   * Writes a repository in {@code dir}/.git that reads {@code repo}'s objects and writes its own,
   * with HEAD detached at {@code commit} and no index yet. {@code repo} is only read.
   */
  static void initBorrowingRepository(Path dir, String repo, String commit) throws IOException {
    Path git = dir.resolve(".git");
    Files.createDirectories(git.resolve("objects").resolve("info"));
    Files.createDirectories(git.resolve("refs").resolve("heads"));
    Files.createDirectories(git.resolve("refs").resolve("tags"));
    Files.writeString(git.resolve("HEAD"), commit + "\n", StandardCharsets.UTF_8);
    boolean sha256 = commit.length() == 64;
    Files.writeString(
        git.resolve("config"),
        "[core]\n\trepositoryformatversion = " + (sha256 ? 1 : 0) + "\n\tbare = false\n"
            + (sha256 ? "[extensions]\n\tobjectformat = sha256\n" : ""),
        StandardCharsets.UTF_8);
    Files.writeString(
        git.resolve("objects").resolve("info").resolve("alternates"),
        objectsDir(repo) + "\n",
        StandardCharsets.UTF_8);
  }

  private static final Map<String, String> OBJECT_DIRS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The objects folder of a repository (its common git folder's, for linked worktrees). */
  static String objectsDir(String repo) throws IOException {
    String known = OBJECT_DIRS.get(repo);
    if (known != null) {
      return known;
    }
    String dir =
        git(Path.of(repo), "rev-parse", "--path-format=absolute", "--git-path", "objects").outputTail().strip();
    if (!Files.isDirectory(Path.of(dir))) {
      throw new IOException("cannot find the objects of " + repo + " (git said '" + dir + "')");
    }
    OBJECT_DIRS.put(repo, dir);
    return dir;
  }

  /**
   * The change left in {@code worktree} against {@code baseCommit}, including new and deleted
   * files, as a unified diff that {@code git apply} accepts.
   */
  public static String diff(Path worktree, String baseCommit) throws IOException {
    return diff(worktree, baseCommit, false);
  }

  /** Files looked at in Java before a checkout is too big and {@code git status} is asked instead. */
  static final int MAX_SNAPSHOT_FILES = 5000;

  /**
   * What the files of a checkout looked like (path, size, modification time, file key), taken
   * right after it was made, so that "the agent changed nothing" can be seen without starting a
   * git process. Empty when the checkout has more than {@link #MAX_SNAPSHOT_FILES} files.
   */
  public static java.util.Optional<Map<String, List<Object>>> snapshot(Path worktree) {
    Map<String, List<Object>> files = new java.util.HashMap<>();
    try (Stream<Path> paths = Files.walk(worktree)) {
      java.util.Iterator<Path> it = paths.iterator();
      while (it.hasNext()) {
        Path path = it.next();
        Path relative = worktree.relativize(path);
        if (relative.getNameCount() > 0 && relative.getName(0).toString().equals(".git")) {
          continue;
        }
        if (files.size() >= MAX_SNAPSHOT_FILES) {
          return java.util.Optional.empty();
        }
        java.nio.file.attribute.BasicFileAttributes attributes =
            Files.readAttributes(
                path, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        files.put(
            relative.toString(),
            List.of(
                attributes.isDirectory(),
                attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                String.valueOf(attributes.fileKey())));
      }
      return java.util.Optional.of(files);
    } catch (IOException | java.io.UncheckedIOException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Like {@link #diff(Path, String)}. With {@code before}, the checkout's {@link #snapshot} taken
   * right after it was made (HEAD at {@code baseCommit}): when the files and HEAD are as they were,
   * there is no change and no git process is started; otherwise a {@code git status} first still
   * answers "no change" with one process instead of two.
   */
  public static String diff(
      Path worktree, String baseCommit, java.util.Optional<Map<String, List<Object>>> before)
      throws IOException {
    if (before.isPresent() && before.equals(snapshot(worktree)) && headIs(worktree, baseCommit)) {
      return "";
    }
    return diff(worktree, baseCommit, true);
  }

  /** The most bytes of one file an agent may write. */
  public static final long MAX_FILE_BYTES = 4L << 20;

  private static final int MAX_STATUS_CHARS = 1 << 20;

  /**
   * The most bytes of all the files an agent changes together; twice this bounds the diff, which
   * stays below the 20 million characters a candidate's JSON coder reads.
   */
  public static final long MAX_CHANGE_BYTES = 8L << 20;

  /**
   * The change an agent left in {@code worktree}, a {@link #checkoutBorrowing} of {@code repo} at
   * {@code baseCommit}, given the checkout's {@link #snapshot} from before the agent ran.
   *
   * <p>Nothing the agent wrote under {@code .git} is trusted: before git runs there again, the
   * folder is replaced by a fresh one of Converge's (keeping only the index, for speed), so a
   * planted hook, {@code core.fsmonitor}, filter, include or {@code commondir} never runs or
   * redirects git. A {@code .git} that is no longer a folder, and files over {@link #MAX_FILE_BYTES}
   * (or together over {@link #MAX_CHANGE_BYTES}), are refused before git reads them.
   *
   * @throws UnsafeChangeException when the agent left such a change
   */
  public static String agentDiff(
      Path worktree, String repo, String baseCommit, java.util.Optional<Map<String, List<Object>>> before)
      throws IOException {
    if (before.isPresent() && before.equals(snapshot(worktree)) && headIs(worktree, baseCommit)) {
      return "";
    }
    reclaimGitFolder(worktree, repo, baseCommit);
    List<String> changed = changedFiles(worktree);
    if (changed.isEmpty()) {
      return "";
    }
    checkSizes(worktree, changed);
    return diff(worktree, baseCommit, false);
  }

  /**
   * Replaces the checkout's {@code .git} by a fresh one, keeping only the agent's index: its file
   * stamps spare git from hashing every file again. An entry of a file the agent staged or
   * committed names a blob that went with the old folder; git reads such a file from the checkout
   * (its stamp matches) or hashes it again (it does not).
   */
  private static void reclaimGitFolder(Path worktree, String repo, String commit) throws IOException {
    java.nio.file.LinkOption noFollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
    Path git = worktree.resolve(".git");
    if (!Files.isDirectory(worktree, noFollow) || !Files.isDirectory(git, noFollow)) {
      throw new UnsafeChangeException("replaced the checkout or its .git folder");
    }
    Path index = git.resolve("index");
    Path kept = null;
    try {
      if (Files.isRegularFile(index, noFollow)) {
        kept = worktree.resolveSibling(worktree.getFileName() + "-index-" + java.util.UUID.randomUUID());
        Files.move(index, kept);
      }
      delete(git);
      if (Files.exists(git, noFollow)) {
        throw new UnsafeChangeException("left a .git folder that cannot be replaced");
      }
      initBorrowingRepository(worktree, repo, commit);
      if (kept != null) {
        Files.move(kept, index);
      }
    } finally {
      delete(kept);
    }
  }

  /** The paths {@code git status} sees changed, new or deleted (against HEAD, untracked included). */
  private static List<String> changedFiles(Path worktree) throws IOException {
    ProcessRunner.Result result =
        ProcessRunner.runTool(
            gitArgv(List.of("status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--ignored=no")),
            worktree,
            GIT_ENV,
            GIT_TIMEOUT,
            MAX_STATUS_CHARS);
    if (!result.succeeded()) {
      throw new IOException("git status failed: " + result.outputTail().strip());
    }
    String status = result.outputTail();
    if (status.length() > MAX_STATUS_CHARS) {
      throw new UnsafeChangeException("changed more files than git status lists in " + MAX_STATUS_CHARS + " characters");
    }
    List<String> paths = new ArrayList<>();
    for (String entry : status.split("\u0000")) {
      if (entry.length() > 3) {
        paths.add(entry.substring(3));
      }
    }
    return paths;
  }

  private static void checkSizes(Path worktree, List<String> paths) throws IOException {
    long total = 0;
    for (String path : paths) {
      Path file = worktree.resolve(path);
      if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new UnsafeChangeException(
            "wrote " + size + " bytes to " + path + "; at most " + MAX_FILE_BYTES + " per file are accepted");
      }
      total += size;
    }
    if (total > MAX_CHANGE_BYTES) {
      throw new UnsafeChangeException(
          "changed " + total + " bytes of files; at most " + MAX_CHANGE_BYTES + " are accepted");
    }
  }

  private static boolean headIs(Path worktree, String commit) throws IOException {
    Path head = worktree.resolve(".git").resolve("HEAD");
    return Files.isRegularFile(head)
        && Files.readString(head, StandardCharsets.UTF_8).strip().equals(commit);
  }

  /**
   * Like {@link #diff(Path, String)}; with {@code checkStatusFirst}, a {@code git status} first
   * answers "no change" with one process instead of two (for a fresh checkout whose HEAD is {@code
   * baseCommit}, where agents often change nothing).
   */
  public static String diff(Path worktree, String baseCommit, boolean checkStatusFirst)
      throws IOException {
    if (checkStatusFirst
        && git(worktree, "status", "--porcelain", "--untracked-files=all", "--ignored=no")
            .outputTail()
            .isBlank()) {
      // HEAD still detached at the base commit: the agent did not commit its change either.
      if (headIs(worktree, baseCommit)) {
        return "";
      }
    }
    git(worktree, "add", "--all");
    Path diffFile = Files.createTempFile(worktree.getParent(), "diff-", ".patch");
    try {
      git(
          worktree,
          "diff",
          "--cached",
          "--binary",
          "--no-color",
          "--no-ext-diff",
          "--src-prefix=a/",
          "--dst-prefix=b/",
          "--output=" + diffFile,
          baseCommit);
      if (Files.size(diffFile) > 2 * MAX_CHANGE_BYTES) {
        throw new UnsafeChangeException(
            "left a diff of " + Files.size(diffFile) + " bytes; at most " + 2 * MAX_CHANGE_BYTES + " are accepted");
      }
      return Files.readString(diffFile, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(diffFile);
    }
  }

  /**
   * Applies {@code patch} to {@code worktree}; returns an empty string on success or git's reason.
   */
  public static String apply(Path worktree, String patch) throws IOException {
    Path patchFile = Files.createTempFile(worktree.getParent(), "candidate-", ".patch");
    try {
      Files.writeString(patchFile, patch, StandardCharsets.UTF_8);
      ProcessRunner.Result result =
          ProcessRunner.runTool(
              gitArgv(List.of("apply", "--whitespace=nowarn", patchFile.toString())),
              worktree,
              GIT_ENV,
              GIT_TIMEOUT);
      return result.succeeded() ? "" : result.outputTail().strip();
    } finally {
      Files.deleteIfExists(patchFile);
    }
  }

  /** Removes a worktree and everything in it. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary folder is harmless; the job's outcome does not depend on it.
    }
  }

  /**
   * A short stable hash of a patch with its blob-index lines removed, so that the same change made
   * by two agents gets the same hash.
   */
  public static String patchHash(String patch) {
    String normalized =
        patch
            .lines()
            .filter(line -> !line.startsWith("index "))
            .map(String::stripTrailing)
            .collect(Collectors.joining("\n"));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The paths a unified diff touches, in order of appearance. */
  public static List<String> changedPaths(String patch) {
    List<String> paths = new ArrayList<>();
    for (String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        int bPath = line.lastIndexOf(" b/");
        if (bPath > 0) {
          paths.add(line.substring(bPath + 3));
        }
      }
    }
    return paths;
  }

  static ProcessRunner.Result git(Path dir, String... args) throws IOException {
    ProcessRunner.Result result =
        ProcessRunner.runTool(gitArgv(List.of(args)), dir, GIT_ENV, GIT_TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException(
          "git " + String.join(" ", args) + " failed: " + result.outputTail().strip());
    }
    return result;
  }

  static List<String> gitArgv(List<String> args) {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "core.hooksPath=/dev/null"));
    argv.addAll(args);
    return argv;
  }

  private static String safeName(String label) {
    String cleaned = label.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
  }
}
