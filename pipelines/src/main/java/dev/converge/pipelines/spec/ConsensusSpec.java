package dev.converge.pipelines.spec;

/**
 * When the findings of a review job's reviewers count as agreed.
 *
 * @param quorum how many distinct reviewers must report a finding (same file and rule, overlapping
 *     lines, similar message) for it to be kept (default: a majority of the reviewers)
 * @param similarity how messages are compared: {@code words} (default), {@code trigrams} or
 *     {@code none} (rule and location only)
 * @param minSimilarity how alike two messages must be, from 0 to 1 (default 0.2)
 * @param lineTolerance line ranges this many lines apart still count as overlapping (default 2)
 */
public record ConsensusSpec(Integer quorum, String similarity, Double minSimilarity, Integer lineTolerance) {}
