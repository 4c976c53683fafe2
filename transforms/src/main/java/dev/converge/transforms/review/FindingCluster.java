package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Findings of several reviewer calls that say the same thing: the same rule, in the same file, at
 * overlapping lines, in similar words. One line of {@code results.jsonl} each, with its state.
 *
 * @param target the file's target id
 * @param path the file's path in its target
 * @param rule the rule id
 * @param severity the rule's severity
 * @param startLine first line, from the cluster's representative finding (the line range most of
 *     its findings give)
 * @param endLine last line (inclusive)
 * @param message the representative finding's message
 * @param reviewers the distinct reviewer agents that reported it, sorted
 * @param support every finding of the cluster, one per reviewer call
 * @param snippet the text of lines {@code startLine..endLine}
 * @param context the text around it (see {@link Finding#context})
 * @param contextStartLine the line number of the first line of {@code context}
 * @param lineHash a hash of the target, file, rule and the flagged text with its whitespace
 *     normalized: stable when lines move
 * @param state the cluster's state
 * @param reason why it is in that state, in words
 * @param verdict the verifier's verdict, when a verifier was asked; null otherwise
 * @param fingerprint {@code lineHash:n}, where n counts equal line hashes in the file (set when the
 *     job's outputs are written; empty before)
 * @param newFinding whether a reported finding was not reported by the previous run (set when the
 *     outputs are written)
 */
public record FindingCluster(
    String target,
    String path,
    String rule,
    Severity severity,
    int startLine,
    int endLine,
    String message,
    List<String> reviewers,
    List<Support> support,
    String snippet,
    String context,
    int contextStartLine,
    String lineHash,
    ClusterState state,
    String reason,
    Verdict verdict,
    String fingerprint,
    boolean newFinding)
    implements Serializable {

  /**
   * One reviewer call's finding in a cluster.
   *
   * @param reviewer the reviewer agent's id
   * @param sample the sample index
   * @param startLine the lines it gave
   * @param endLine the last line it gave
   * @param message what it said
   */
  public record Support(String reviewer, int sample, int startLine, int endLine, String message)
      implements Serializable {}

  public FindingCluster {
    Objects.requireNonNull(state, "state");
    reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    support = support == null ? List.of() : List.copyOf(support);
    snippet = snippet == null ? "" : snippet;
    context = context == null ? "" : context;
    lineHash = lineHash == null ? "" : lineHash;
    reason = reason == null ? "" : reason;
    fingerprint = fingerprint == null ? "" : fingerprint;
  }

  public String fileKey() {
    return SourceFile.key(target, path);
  }

  public boolean reported() {
    return state.reported();
  }

  public FindingCluster withState(ClusterState newState, String newReason) {
    return new FindingCluster(
        target, path, rule, severity, startLine, endLine, message, reviewers, support, snippet,
        context, contextStartLine, lineHash, newState, newReason, verdict, fingerprint, newFinding);
  }

  public FindingCluster withVerdict(ClusterState newState, String newReason, Verdict newVerdict) {
    return new FindingCluster(
        target, path, rule, severity, startLine, endLine, message, reviewers, support, snippet,
        context, contextStartLine, lineHash, newState, newReason, newVerdict, fingerprint, newFinding);
  }

  public FindingCluster withFingerprint(String newFingerprint, boolean isNewFinding) {
    return new FindingCluster(
        target, path, rule, severity, startLine, endLine, message, reviewers, support, snippet,
        context, contextStartLine, lineHash, state, reason, verdict, newFingerprint, isNewFinding);
  }
}
