package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.GitFiles;
import dev.converge.transforms.workspace.GitFiles.FileAt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompt contract of model agents ({@code openai}, {@code anthropic}, {@code simulated},
 * {@code replay}).
 *
 * <p>The system message says what to answer: one unified diff (the format of {@code git diff})
 * inside a fenced block that starts with {@code ```diff}, with paths relative to the repository
 * root; an empty block means "no change needed". The user message holds the job's goal, the task id
 * and instructions, the base commit, and the full content of every file in the task's {@code files}
 * (or a note that it does not exist yet, is binary, or is too large). Files outside the task's
 * scope are not sent; a task without {@code files} gets no file content.
 *
 * <p>Converge takes the diff from the answer ({@link DiffExtractor}) and applies it to the base
 * commit with {@code git apply} (hunk line counts are recounted first, models often get them
 * wrong); an answer without a diff that applies becomes a failed
 * candidate with reason {@code malformed output: ...}. Nothing else in the answer is used.
 */
public final class PromptBuilder {
  /** Part of every cache key: a new contract makes old cached answers unusable. */
  public static final String CONTRACT_VERSION = "converge-prompt-1";

  /** Characters of one file put into a prompt; longer files are cut with a note. */
  public static final int MAX_FILE_CHARS = 200_000;

  /** Characters of all files together. */
  public static final int MAX_TOTAL_CHARS = 800_000;

  public static final String SYSTEM =
      String.join(
          "\n",
          "You are a coding agent. You change the files of a git repository to carry out one task.",
          "",
          "Answer with exactly one unified diff in the format of `git diff`, inside one fenced code"
              + " block that starts with ```diff and ends with ```.",
          "- Paths are relative to the repository root, with a/ and b/ prefixes"
              + " (--- a/path and +++ b/path); use /dev/null as the old path of a new file and as"
              + " the new path of a deleted file.",
          "- Every hunk starts with an @@ line and keeps 3 lines of unchanged context, copied"
              + " exactly from the files you were given.",
          "- Change only what the task needs. Put no explanations inside the block.",
          "- If the task needs no change, answer with an empty ```diff block.",
          "",
          "Converge applies your diff with `git apply` and then runs the project's tests itself."
              + " An answer without a diff that applies is discarded.");

  private static final int MEMO_LIMIT = 1024;
  private static final Map<String, Prompt> MEMO = new ConcurrentHashMap<>();

  private PromptBuilder() {}

  /**
   * The prompt for {@code task} with its files read at the task's base commit. Built once per task
   * and commit in a JVM, however many agents and samples ask.
   */
  public static Prompt atBaseCommit(Task task) throws IOException {
    String key =
        String.join(
            "\u0000",
            task.repoPath(),
            task.baseCommit(),
            task.id(),
            task.instructions(),
            task.goal(),
            String.join("\u0001", task.files()));
    Prompt known = MEMO.get(key);
    if (known != null) {
      return known;
    }
    Prompt prompt =
        build(task, GitFiles.atCommit(task.repoPath(), task.baseCommit(), task.files()), task.baseCommit());
    if (MEMO.size() > MEMO_LIMIT) {
      MEMO.clear();
    }
    MEMO.put(key, prompt);
    return prompt;
  }

  /** The prompt for {@code task} with its files as they are now in {@code worktree}. */
  public static Prompt inWorktree(Task task, Path worktree) throws IOException {
    return build(task, GitFiles.onDisk(worktree, task.files()), "");
  }

  /** The prompt for {@code task} and the given files. */
  public static Prompt build(Task task, List<FileAt> files, String commit) {
    StringBuilder user = describe(task, files, commit);
    user.append("\nAnswer with one ```diff block.\n");
    return new Prompt(SYSTEM, user.toString());
  }

  /**
   * The system message of verifiers: judge one proposed change and answer with the verdict schema
   * of {@link VerdictParser}. Verifiers are told that tests already passed, so they look for what
   * tests miss.
   */
  public static final String VERIFY_SYSTEM =
      String.join(
          "\n",
          "You are a strict code reviewer. You judge whether one proposed change carries out its"
              + " task correctly and completely, and whether it breaks anything.",
          "The project's tests already passed on this change; look for what tests miss: wrong"
              + " behaviour, missed cases, changes outside the task, unsafe code.",
          "",
          "Answer with exactly one JSON object and nothing else:",
          "{\"verdict\": \"pass\" or \"fail\", \"reasons\": [\"...\"],"
              + " \"locations\": [{\"file\": \"path\", \"line\": 1}], \"score\": 0.0 to 1.0}",
          "- reasons is required when the verdict is fail: say what is wrong so that it can be fixed.",
          "- score is your confidence that the change is correct.");

  /**
   * The prompt that asks a verifier to judge {@code patch} for {@code task}, with the task's files
   * at its base commit. Its answer is parsed by {@link VerdictParser}.
   */
  public static Prompt forVerification(Task task, String patch) throws IOException {
    StringBuilder user =
        describe(task, GitFiles.atCommit(task.repoPath(), task.baseCommit(), task.files()), task.baseCommit());
    String fence = fenceFor(patch);
    user.append("\nProposed change:\n").append(fence).append("diff\n").append(patch);
    if (!patch.endsWith("\n")) {
      user.append('\n');
    }
    user.append(fence).append("\n\nAnswer with one JSON verdict.\n");
    return new Prompt(VERIFY_SYSTEM, user.toString());
  }

  private static StringBuilder describe(Task task, List<FileAt> files, String commit) {
    StringBuilder user = new StringBuilder();
    if (!task.goal().isBlank()) {
      user.append("Goal of the job: ").append(task.goal().strip()).append("\n\n");
    }
    user.append("Task ").append(task.id()).append(":\n").append(task.instructions().strip()).append("\n\n");
    if (files.isEmpty()) {
      user.append("No files were named for this task.\n");
    } else {
      user.append(commit.isEmpty() ? "Files:\n" : "Files at commit " + commit + ":\n");
      int budget = MAX_TOTAL_CHARS;
      for (FileAt file : files) {
        budget -= appendFile(user, file, budget);
      }
    }
    return user;
  }

  private static int appendFile(StringBuilder out, FileAt file, int budget) {
    out.append("\n=== ").append(file.path());
    if (!file.exists()) {
      out.append(" (does not exist yet) ===\n");
      return 0;
    }
    if (file.binary()) {
      out.append(" (binary, ").append(file.size()).append(" bytes, not shown) ===\n");
      return 0;
    }
    if (file.text().isEmpty() && file.size() > 0) {
      out.append(" (").append(file.size()).append(" bytes, too large to show) ===\n");
      return 0;
    }
    int limit = Math.max(0, Math.min(MAX_FILE_CHARS, budget));
    String text = file.text();
    boolean cut = text.length() > limit;
    String shown = cut ? text.substring(0, limit) : text;
    String fence = fenceFor(shown);
    out.append(" ===\n").append(fence).append('\n').append(shown);
    if (!shown.endsWith("\n")) {
      out.append('\n');
    }
    out.append(fence).append('\n');
    if (cut) {
      out.append("(cut: ").append(text.length() - limit).append(" more characters not shown)\n");
    }
    return shown.length();
  }

  /** A backtick fence longer than any run of backticks in {@code text}. */
  static String fenceFor(String text) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }
}
