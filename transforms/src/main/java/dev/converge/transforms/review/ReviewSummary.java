package dev.converge.transforms.review;

import java.util.List;
import java.util.Map;

/**
 * What {@code summary.json} holds for a review job.
 *
 * @param spec the spec's name
 * @param kind always {@code review}
 * @param runner the runner profile
 * @param files files in scope now (text or not)
 * @param filesReviewed files reviewed by this run (new or changed, or all on a full run)
 * @param filesUnchanged files not reviewed again: unchanged since the previous run, their findings
 *     carried forward
 * @param filesDeleted files of the previous run that are gone; their findings are fixed
 * @param filesSkipped files that could not be reviewed (binary, not UTF-8, too large)
 * @param chunks chunk and rule-group units reviewed by this run
 * @param reviewerCalls reviewer calls made by this run
 * @param failedReviewerCalls of those, the calls that failed (crash, timeout, invalid answer)
 * @param verifierCalls verifier calls made by this run
 * @param failedVerifications of those, the ones that failed (crash, timeout, invalid verdict)
 * @param findings findings reported (confirmed, accepted, unverified and carried)
 * @param bySeverity reported findings per severity; always has every severity
 * @param newFindings reported findings that the previous run did not report (all of them when
 *     there was no previous run)
 * @param newBySeverity new findings per severity; always has every severity
 * @param fixed findings of the previous run that are gone
 * @param states clusters per state (every state, reported or not); always has every state
 * @param incremental whether a previous state was read
 * @param plan which files were reviewed and why, in words
 * @param sarifFiles the SARIF files written
 * @param sarifRuns the runs in them
 * @param wallSeconds the job's wall time
 */
public record ReviewSummary(
    String spec,
    String kind,
    String runner,
    int files,
    int filesReviewed,
    int filesUnchanged,
    int filesDeleted,
    int filesSkipped,
    int chunks,
    int reviewerCalls,
    int failedReviewerCalls,
    int verifierCalls,
    int failedVerifications,
    int findings,
    Map<String, Integer> bySeverity,
    int newFindings,
    Map<String, Integer> newBySeverity,
    int fixed,
    Map<String, Integer> states,
    boolean incremental,
    String plan,
    List<String> sarifFiles,
    int sarifRuns,
    double wallSeconds) {

  public static final String KIND = "review";

  /** New findings of {@code threshold} severity or worse. */
  public int newAtLeast(Severity threshold) {
    int count = 0;
    for (Severity severity : Severity.values()) {
      if (severity.atLeast(threshold)) {
        count += newBySeverity.getOrDefault(severity.label(), 0);
      }
    }
    return count;
  }
}
