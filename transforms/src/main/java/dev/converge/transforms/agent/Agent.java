package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Something that implements a task by changing files in a worktree. The change it leaves is the
 * candidate; what it says about its own work is only logged, never trusted.
 */
public interface Agent extends Serializable {

  /** The id the spec gave this agent. */
  String id();

  /** How the agent works, for example {@code command} or {@code simulated}; shown in every report. */
  String kind();

  /**
   * Works on {@code task} in {@code worktree} (a private checkout of the task's base commit).
   *
   * @param sample the sample index; agents that can vary their answers should use it as a seed
   * @return the exit code, whether it timed out, the tail of what it printed, and how long it took
   */
  ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException;
}
