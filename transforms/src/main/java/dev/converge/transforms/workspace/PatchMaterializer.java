package dev.converge.transforms.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a diff written by a model to a task's base commit with {@code git apply} (after
 * recounting its hunk headers, see {@link #recount}), and returns the
 * change in the same canonical form as the diff a command agent leaves in its checkout ({@link
 * Worktrees#diff}), so identical changes get identical patches and hashes whoever made them.
 *
 * <p>No checkout is made: the diff is applied with {@code git apply --cached} to a private index of
 * the base commit in a throw-away repository that borrows the target's objects (as {@code git clone
 * --shared} does) and writes its own objects to its own folder. The user's repository is only
 * read. Three short git processes per distinct diff, and the same diff on the same commit is
 * applied once per JVM (models often give the same answer to the same prompt).
 */
public final class PatchMaterializer {
  private static final int MEMO_LIMIT = 4096;
  private static final int ERROR_CHARS = 600;
  private static final Map<String, CompletableFuture<Result>> MEMO = new ConcurrentHashMap<>();

  /**
   * What applying a diff gave.
   *
   * @param patch the canonical patch (empty when the diff changes nothing or did not apply)
   * @param error why the diff did not apply (empty when it did)
   */
  public record Result(String patch, String error) {
    public boolean applied() {
      return error.isEmpty();
    }
  }

  private PatchMaterializer() {}

  /**
   * Applies {@code diff} to {@code baseCommit} of the repository at {@code repoPath}; scratch
   * folders go under {@code scratchParent} and are removed again.
   */
  public static Result apply(String repoPath, String baseCommit, String diff, Path scratchParent)
      throws IOException {
    String key = repoPath + "\u0000" + baseCommit + "\u0000" + sha256(diff);
    CompletableFuture<Result> mine = new CompletableFuture<>();
    CompletableFuture<Result> existing = MEMO.putIfAbsent(key, mine);
    if (existing != null) {
      try {
        return existing.join();
      } catch (CompletionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
    if (MEMO.size() > MEMO_LIMIT) {
      MEMO.keySet().removeIf(k -> !k.equals(key));
    }
    try {
      Result result = materialize(repoPath, baseCommit, diff, scratchParent);
      mine.complete(result);
      return result;
    } catch (IOException | RuntimeException e) {
      MEMO.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Applies {@code diff} to the files of a checkout (for agents that work in one). */
  public static Result applyToWorktree(Path worktree, String diff) throws IOException {
    Path patchFile = Files.createTempFile(worktree.getParent(), "model-", ".patch");
    try {
      Files.writeString(patchFile, recount(withFinalNewline(diff)), StandardCharsets.UTF_8);
      ProcessRunner.Result applied =
          ProcessRunner.runTool(
              Worktrees.gitArgv(applyArgs(false, diff, patchFile)), worktree, Worktrees.GIT_ENV, Worktrees.GIT_TIMEOUT);
      return applied.succeeded()
          ? new Result("", "")
          : new Result("", shorten(applied.outputTail()));
    } finally {
      Files.deleteIfExists(patchFile);
    }
  }

  private static Result materialize(String repoPath, String baseCommit, String diff, Path scratchParent)
      throws IOException {
    Files.createDirectories(scratchParent);
    Path dir = Files.createTempDirectory(scratchParent, "apply-");
    try {
      Worktrees.initBorrowingRepository(dir, repoPath, baseCommit);
      Path git = dir.resolve(".git");
      Path patchFile = git.resolve("candidate.patch");
      Files.writeString(patchFile, recount(withFinalNewline(diff)), StandardCharsets.UTF_8);

      Worktrees.git(dir, "read-tree", baseCommit);
      ProcessRunner.Result applied =
          ProcessRunner.runTool(
              Worktrees.gitArgv(applyArgs(true, diff, patchFile)), dir, Worktrees.GIT_ENV, Worktrees.GIT_TIMEOUT);
      if (!applied.succeeded()) {
        return new Result("", shorten(applied.outputTail()));
      }
      Path canonical = git.resolve("canonical.patch");
      Worktrees.git(
          dir,
          "diff",
          "--cached",
          "--binary",
          "--no-color",
          "--no-ext-diff",
          "--src-prefix=a/",
          "--dst-prefix=b/",
          "--output=" + canonical,
          baseCommit);
      return new Result(Files.readString(canonical, StandardCharsets.UTF_8), "");
    } finally {
      Worktrees.delete(dir);
    }
  }

  private static List<String> applyArgs(boolean cached, String diff, Path patchFile) {
    String strip = "-p" + stripLevel(diff);
    return cached
        ? List.of("apply", "--cached", "--whitespace=nowarn", strip, patchFile.toString())
        : List.of("apply", "--whitespace=nowarn", strip, patchFile.toString());
  }

  private static final Pattern HUNK =
      Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@(.*)$");

  /**
   * The diff with every hunk header's line counts recounted from the hunk's lines, and blank
   * context lines (whose leading space models often drop) restored. Models miscount hunks all the
   * time; {@code git apply --recount} would recount too, but it runs a hunk on into the {@code ---}
   * header of the next file when there is no {@code diff --git} line between them.
   */
  static String recount(String diff) {
    String[] lines = diff.replace("\r\n", "\n").split("\n", -1);
    int count = lines.length;
    if (count > 0 && lines[count - 1].isEmpty()) {
      count--;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < count) {
      Matcher header = HUNK.matcher(lines[i]);
      if (!header.matches()) {
        out.append(lines[i]).append('\n');
        i++;
        continue;
      }
      int end = i + 1;
      while (end < count && inHunk(lines, end, count)) {
        end++;
      }
      int last = end;
      while (last > i + 1 && lines[last - 1].isEmpty()) {
        last--; // blank lines at the end of a hunk are the model's spacing, not context
      }
      int oldLines = 0;
      int newLines = 0;
      StringBuilder body = new StringBuilder();
      for (int j = i + 1; j < last; j++) {
        String line = lines[j].isEmpty() ? " " : lines[j];
        char kind = line.charAt(0);
        if (kind == ' ' || kind == '-') {
          oldLines++;
        }
        if (kind == ' ' || kind == '+') {
          newLines++;
        }
        body.append(line).append('\n');
      }
      long oldStart = Long.parseLong(header.group(1));
      long newStart = Long.parseLong(header.group(2));
      out.append("@@ -").append(oldLines == 0 ? Math.max(0, oldStart) : Math.max(1, oldStart))
          .append(',').append(oldLines)
          .append(" +").append(newLines == 0 ? Math.max(0, newStart) : Math.max(1, newStart))
          .append(',').append(newLines)
          .append(" @@").append(header.group(3)).append('\n')
          .append(body);
      i = end;
    }
    return out.toString();
  }

  private static boolean inHunk(String[] lines, int index, int count) {
    String line = lines[index];
    if (line.startsWith("@@") || line.startsWith("diff --git ")) {
      return false;
    }
    if (line.startsWith("--- ") && index + 1 < count && lines[index + 1].startsWith("+++ ")) {
      return false;
    }
    return line.isEmpty()
        || line.charAt(0) == ' '
        || line.charAt(0) == '+'
        || line.charAt(0) == '-'
        || line.charAt(0) == '\\';
  }

  /**
   * 1 when the diff's paths carry {@code a/} and {@code b/} prefixes (as {@code git diff} writes
   * them), 0 when they are bare repository paths.
   */
  static int stripLevel(String diff) {
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        return 1;
      }
      if (line.startsWith("+++ ") || line.startsWith("--- ")) {
        String path = line.substring(4).split("\t", 2)[0].strip();
        if (path.equals("/dev/null")) {
          continue;
        }
        return path.startsWith("a/") || path.startsWith("b/") ? 1 : 0;
      }
    }
    return 1;
  }

  private static String withFinalNewline(String diff) {
    return diff.endsWith("\n") ? diff : diff + "\n";
  }

  private static String shorten(String gitOutput) {
    String text = gitOutput.strip().replaceAll("\\s*\\n\\s*", "; ");
    return text.length() > ERROR_CHARS ? text.substring(0, ERROR_CHARS) + "..." : text;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
