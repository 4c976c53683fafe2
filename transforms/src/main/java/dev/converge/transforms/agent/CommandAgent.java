package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 */
public final class CommandAgent implements Agent {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final String id;
  private final List<String> argv;
  private final Duration timeout;
  private final Map<String, String> env;

  private CommandAgent(String id, List<String> argv, Duration timeout, Map<String, String> env) {
    this.id = id;
    this.argv = argv;
    this.timeout = timeout;
    this.env = env;
  }

  public static CommandAgent of(String id, List<String> argv) {
    Objects.requireNonNull(id, "id");
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("agent " + id + " needs a non-empty command");
    }
    return new CommandAgent(id, List.copyOf(argv), DEFAULT_TIMEOUT, Map.of());
  }

  public CommandAgent withTimeout(Duration newTimeout) {
    if (newTimeout == null || newTimeout.isNegative() || newTimeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + newTimeout);
    }
    return new CommandAgent(id, argv, newTimeout, env);
  }

  public CommandAgent withEnv(Map<String, String> newEnv) {
    return new CommandAgent(id, argv, timeout, Map.copyOf(Objects.requireNonNull(newEnv, "env")));
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

  @Override
  public ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.put("CONVERGE_TASK_ID", task.id());
    processEnv.put("CONVERGE_INSTRUCTIONS", task.instructions());
    processEnv.put("CONVERGE_FILES", String.join("\n", task.files()));
    processEnv.put("CONVERGE_SAMPLE", Integer.toString(sample));
    processEnv.put("CONVERGE_AGENT_ID", id);
    processEnv.put("CONVERGE_GOAL", task.goal());
    processEnv.put("CONVERGE_WORKTREE", worktree.toString());
    return ProcessRunner.run(argv, worktree, processEnv, task.instructions(), timeout);
  }
}
