package dev.converge.transforms.agent;

import dev.converge.transforms.model.ContextDocument;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CLI agent (claude -p, codex exec, aider, or any script) run as a process in the task's
 * worktree. Its change is whatever it leaves in the worktree.
 *
 * <p>The contract with the process: the working directory is the worktree; the instructions are
 * on standard input and in {@code CONVERGE_INSTRUCTIONS}; {@code CONVERGE_TASK_ID}, {@code
 * CONVERGE_FILES} (newline separated), {@code CONVERGE_SAMPLE}, {@code CONVERGE_AGENT_ID}, {@code
 * CONVERGE_GOAL} and {@code CONVERGE_WORKTREE} describe the task. Only {@code PATH}, {@code HOME},
 * {@code LANG}, {@code LC_ALL} and {@code TMPDIR} are inherited; anything else must be granted in
 * the spec's {@code env}. A non-zero exit code or a timeout fails the candidate.
 *
 * <p>With context documents ({@link #withContext}), they are also written to a fresh folder
 * outside the worktree ({@code CONVERGE_CONTEXT_DIR}), listed one absolute path per line in {@code
 * CONVERGE_CONTEXT_FILES}, and appended to standard input after the instructions (see {@link
 * ContextFiles#stdin}).
 */
public final class CommandAgent implements Agent {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final String id;
  private final List<String> argv;
  private final Duration timeout;
  private final Map<String, String> env;
  private final CallLimits limits;
  private final List<ContextDocument> context;
  private final Sandbox sandbox;

  /** Content hashes of the files named on command lines, by path, size and modification time. */
  private static final Map<String, String> FILE_HASHES = new ConcurrentHashMap<>();

  private CommandAgent(
      String id,
      List<String> argv,
      Duration timeout,
      Map<String, String> env,
      CallLimits limits,
      List<ContextDocument> context,
      Sandbox sandbox) {
    this.id = id;
    this.argv = argv;
    this.timeout = timeout;
    this.env = env;
    this.limits = limits;
    this.context = context;
    this.sandbox = sandbox;
  }

  public static CommandAgent of(String id, List<String> argv) {
    Objects.requireNonNull(id, "id");
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("agent " + id + " needs a non-empty command");
    }
    return new CommandAgent(id, List.copyOf(argv), DEFAULT_TIMEOUT, Map.of(), CallLimits.DEFAULT, List.of(), Sandbox.OFF);
  }

  public CommandAgent withTimeout(Duration newTimeout) {
    if (newTimeout == null || newTimeout.isNegative() || newTimeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + newTimeout);
    }
    return new CommandAgent(id, argv, newTimeout, env, limits, context, sandbox);
  }

  public CommandAgent withEnv(Map<String, String> newEnv) {
    return new CommandAgent(id, argv, timeout, Map.copyOf(Objects.requireNonNull(newEnv, "env")), limits, context, sandbox);
  }

  /** How many runs of this agent may run at once (0: the transform's default). */
  public CommandAgent withConcurrency(int concurrency) {
    return new CommandAgent(id, argv, timeout, env, limits.withConcurrency(concurrency), context, sandbox);
  }

  /**
   * The documents this agent is given as context (the spec's {@code context}): written to a folder
   * beside the checkout, named in {@code CONVERGE_CONTEXT_DIR} and {@code CONVERGE_CONTEXT_FILES},
   * and appended to standard input after the instructions.
   */
  public CommandAgent withContext(List<ContextDocument> documents) {
    return new CommandAgent(id, argv, timeout, env, limits, List.copyOf(documents), sandbox);
  }

  /**
   * Runs the agent under {@code policy} (default {@link Sandbox#OFF}: CLI agents usually need the
   * network and their own configuration); {@link Sandbox#ON} confines it to its checkout, without
   * network.
   */
  public CommandAgent withSandbox(Sandbox policy) {
    return new CommandAgent(id, argv, timeout, env, limits, context, Objects.requireNonNull(policy, "sandbox"));
  }

  /**
   * What a sandboxed agent may read under /tmp besides its checkout: the files its command line
   * names (a script in a temporary folder, for example).
   */
  private Path[] sandboxReadable() {
    return argv.stream()
        .filter(arg -> arg.startsWith("/") && arg.length() < 4096)
        .map(Path::of)
        .filter(Files::exists)
        .toArray(Path[]::new);
  }

  private Path[] withContextDir(Path contextDir) {
    Path[] named = sandboxReadable();
    Path[] all = java.util.Arrays.copyOf(named, named.length + 1);
    all[named.length] = contextDir;
    return all;
  }

  public List<ContextDocument> context() {
    return context;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "command";
  }

  public Duration timeout() {
    return timeout;
  }

  /** One attempt (a command is not retried), its own concurrency; the timeout is {@link #timeout()}. */
  @Override
  public CallLimits limits() {
    return limits.withMaxAttempts(1).withTimeout(timeout);
  }

  /**
   * The command line, the granted environment (hashed: it may hold keys) and the content of every
   * file the command line names (so editing an agent script invalidates its cached answers).
   */
  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>();
    fingerprint.put("argv", String.join("\u0000", argv));
    if (sandbox != Sandbox.OFF) {
      fingerprint.put("sandbox", sandbox.name());
    }
    StringBuilder granted = new StringBuilder();
    new TreeMap<>(env).forEach((k, v) -> granted.append(k).append('=').append(v).append('\u0000'));
    fingerprint.put("env", sha256(granted.toString().getBytes(StandardCharsets.UTF_8)));
    if (!context.isEmpty()) {
      StringBuilder documents = new StringBuilder();
      context.forEach(d -> documents.append(d.name()).append('\u0000').append(d.text()).append('\u0000'));
      fingerprint.put("context", sha256(documents.toString().getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.startsWith("/") && arg.length() < 4096) {
        fileHash(Path.of(arg)).ifPresent(hash -> fingerprint.put("file:" + arg, hash));
      }
    }
    return fingerprint;
  }

  private static java.util.Optional<String> fileHash(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return java.util.Optional.empty();
      }
      String stamp = file + "\u0000" + Files.size(file) + "\u0000" + Files.getLastModifiedTime(file).toMillis();
      String known = FILE_HASHES.get(stamp);
      if (known == null) {
        known = sha256(Files.readAllBytes(file));
        FILE_HASHES.put(stamp, known);
      }
      return java.util.Optional.of(known);
    } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
      return java.util.Optional.empty();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
    return run(worktree, taskVariables(task, sample), task.instructions(), ProcessRunner.DEFAULT_TAIL_CHARS);
  }

  /** The variables that describe {@code task} and the sample to the agent's process. */
  public static Map<String, String> taskVariables(Task task, int sample) {
    Map<String, String> variables = new HashMap<>();
    variables.put("CONVERGE_TASK_ID", task.id());
    variables.put("CONVERGE_INSTRUCTIONS", task.instructions());
    variables.put("CONVERGE_FILES", String.join("\n", task.files()));
    variables.put("CONVERGE_SAMPLE", Integer.toString(sample));
    variables.put("CONVERGE_GOAL", task.goal());
    return variables;
  }

  /**
   * Runs the command in {@code worktree} for any role (implementing a task, planning a job): with
   * the granted environment, {@code variables}, {@code CONVERGE_AGENT_ID}, {@code
   * CONVERGE_WORKTREE} and the context documents, {@code stdin} (followed by the documents) on
   * standard input, and the last {@code tailChars} characters of its output kept.
   */
  public ProcessRunner.Result run(
      Path worktree, Map<String, String> variables, String stdin, int tailChars) throws IOException {
    env.forEach((name, value) -> {
      if (Redactor.namesASecret(name)) {
        Redactor.remember(value);
      }
    });
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.putAll(variables);
    processEnv.put("CONVERGE_AGENT_ID", id);
    processEnv.put("CONVERGE_WORKTREE", worktree.toString());
    if (context.isEmpty()) {
      return ProcessRunner.run(sandbox.wrap(argv, worktree, sandboxReadable()), worktree, processEnv, stdin, timeout, tailChars);
    }
    Path contextDir = ContextFiles.write(context, worktree);
    try {
      processEnv.put("CONVERGE_CONTEXT_DIR", contextDir.toString());
      processEnv.put("CONVERGE_CONTEXT_FILES", String.join("\n", ContextFiles.paths(context, contextDir)));
      return ProcessRunner.run(
          sandbox.wrap(argv, worktree, withContextDir(contextDir)), worktree, processEnv, ContextFiles.stdin(stdin, context), timeout,
          tailChars);
    } finally {
      dev.converge.transforms.workspace.Worktrees.delete(contextDir);
    }
  }
}
