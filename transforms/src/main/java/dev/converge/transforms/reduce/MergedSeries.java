package dev.converge.transforms.reduce;

import java.util.List;

/**
 * The combined change of one repository: one commit per merged task, in task-id order, on top of
 * the tasks' base commit.
 *
 * @param target the target (repository) id
 * @param repoPath the repository the tasks started from
 * @param baseCommit the commit the series starts from
 * @param headCommit the last commit of the series (its ids are stable: fixed author and date)
 * @param taskIds the merged tasks, one commit each, in order
 * @param mbox the commits as {@code git format-patch} mails, which {@code git am} applies
 * @param branch what happened to the requested branch, in words (empty when none was asked for)
 * @param checkNotes what the re-test of the combination had to leave out, and why
 */
public record MergedSeries(
    String target,
    String repoPath,
    String baseCommit,
    String headCommit,
    List<String> taskIds,
    String mbox,
    String branch,
    List<String> checkNotes) {
  public MergedSeries {
    taskIds = List.copyOf(taskIds);
    checkNotes = checkNotes == null ? List.of() : List.copyOf(checkNotes);
    branch = branch == null ? "" : branch;
  }
}
