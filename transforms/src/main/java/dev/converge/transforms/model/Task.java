package dev.converge.transforms.model;

import java.util.List;

/**
 * One unit of work after Plan: what to change, in which repository, from which commit, and how the
 * result is checked.
 *
 * @param id unique task id
 * @param target the id of the repository the task works on
 * @param repoPath absolute path of that repository (read only: Converge never writes to it)
 * @param baseCommit the full commit id every candidate starts from
 * @param instructions what the agent must do
 * @param files files the task is about (its scope; may be empty)
 * @param goal the job's goal, handed to agents as context (may be empty)
 * @param testCommand shell command that must exit 0 for a candidate to pass
 * @param testTimeoutSeconds the test command is killed after this many seconds
 */
public record Task(
    String id,
    String target,
    String repoPath,
    String baseCommit,
    String instructions,
    List<String> files,
    String goal,
    String testCommand,
    int testTimeoutSeconds) {

  public Task {
    files = files == null ? List.of() : List.copyOf(files);
    goal = goal == null ? "" : goal;
  }
}
