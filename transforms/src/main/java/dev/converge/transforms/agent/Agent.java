package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * Something that implements a task. The change it makes is the candidate; what it says about its
 * own work is only logged, never trusted.
 *
 * <p>There are two families. A {@link CommandAgent} is a process that edits a private checkout;
 * its change is the diff it leaves there. A {@link ModelAgent} (OpenAI-compatible, Anthropic,
 * simulated, replay) answers a prompt with a unified diff and needs no checkout: {@link
 * ImplementTasks} applies the diff to the base commit itself.
 */
public interface Agent extends Serializable {

  /** The id the spec gave this agent. */
  String id();

  /** How the agent works, for example {@code command} or {@code openai}; shown in every report. */
  String kind();

  /** The model that answers, for price lookups and reports ({@code ""} when there is none). */
  default String model() {
    return "";
  }

  /** Concurrency, rate limits, attempts and timeout of this agent's calls. */
  default CallLimits limits() {
    return CallLimits.DEFAULT;
  }

  /**
   * Agents with the same key share one concurrency limit and one pair of rate limits in a worker
   * JVM (for API agents: the same endpoint and key variable). By default every agent has its own.
   */
  default String providerKey() {
    return kind() + ":" + id();
  }

  /**
   * Everything besides the task, the prompt and the sample that decides this agent's answer (model,
   * parameters, command line, ...). It goes into the cache key, so it must never hold a secret.
   */
  default Map<String, String> fingerprint() {
    return Map.of();
  }

  /**
   * Works on {@code task} in {@code worktree} (a private checkout), leaving its change there. Used
   * where a checkout exists anyway (a conflict resolver, for example); {@link ImplementTasks} calls
   * model agents without one.
   *
   * @param sample the sample index; agents that can vary their answers should use it as a seed
   * @return the exit code, whether it timed out, the tail of what it printed, and how long it took
   */
  ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException;
}
