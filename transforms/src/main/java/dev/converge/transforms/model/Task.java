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
 * @param specHash SHA-256 of the spec file the task was planned from ({@code ""} when unknown)
 * @param contextHash SHA-256 of the spec's context documents, names and contents ({@code ""} when
 *     the spec has none)
 * @param inputHash SHA-256 of everything the task's agents are given and who they are (task,
 *     instructions, files, goal, base commit, context, agents, samples); a re-run reuses the
 *     candidates of a task whose input hash did not change ({@code ""} when unknown)
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
    int testTimeoutSeconds,
    String specHash,
    String contextHash,
    String inputHash) {

  public Task {
    files = files == null ? List.of() : List.copyOf(files);
    goal = goal == null ? "" : goal;
    specHash = specHash == null ? "" : specHash;
    contextHash = contextHash == null ? "" : contextHash;
    inputHash = inputHash == null ? "" : inputHash;
  }

  /** A task without spec and input hashes. */
  public Task(
      String id,
      String target,
      String repoPath,
      String baseCommit,
      String instructions,
      List<String> files,
      String goal,
      String testCommand,
      int testTimeoutSeconds) {
    this(
        id, target, repoPath, baseCommit, instructions, files, goal, testCommand,
        testTimeoutSeconds, "", "", "");
  }

  /** This task with other instructions (a repair request adds the reasons and the rejected change). */
  public Task withInstructions(String newInstructions) {
    return new Task(
        id, target, repoPath, baseCommit, newInstructions, files, goal, testCommand,
        testTimeoutSeconds, specHash, contextHash, inputHash);
  }

  /** This task with the hashes of the spec, its context documents and the task's inputs. */
  public Task withHashes(String newSpecHash, String newContextHash, String newInputHash) {
    return new Task(
        id, target, repoPath, baseCommit, instructions, files, goal, testCommand,
        testTimeoutSeconds, newSpecHash, newContextHash, newInputHash);
  }
}
