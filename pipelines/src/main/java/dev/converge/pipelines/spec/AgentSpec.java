package dev.converge.pipelines.spec;

import java.util.List;
import java.util.Map;

/**
 * An agent that can implement tasks.
 *
 * @param id unique agent id
 * @param type {@code command} (a real process run in the task's worktree) or {@code simulated} (a
 *     labelled synthetic agent for dry runs)
 * @param command for {@code command}: the argv; {@code {specDir}} is replaced by the spec's folder
 * @param timeoutSeconds for {@code command}: the process is killed after this many seconds (default
 *     600)
 * @param env for {@code command}: extra environment variables
 * @param seed for {@code simulated}: the random seed (default 0)
 * @param latencyMs for {@code simulated}: how long each call pretends to take (default 0)
 * @param wrongRate for {@code simulated}: probability of a wrong change (default 0)
 */
public record AgentSpec(
    String id,
    String type,
    List<String> command,
    Integer timeoutSeconds,
    Map<String, String> env,
    Long seed,
    Long latencyMs,
    Double wrongRate) {
  public AgentSpec {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
  }
}
