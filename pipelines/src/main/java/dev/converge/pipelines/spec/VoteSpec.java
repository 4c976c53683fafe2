package dev.converge.pipelines.spec;

/**
 * How candidates whose tests pass are compared. Candidates are clustered by normalized patch;
 * ties between clusters of equal size go to the cluster whose first {@code agent#sample} label
 * sorts first.
 *
 * @param strategy {@code majority}: the largest cluster wins; {@code quorum}: the largest cluster
 *     wins if it has at least {@code quorum} members; {@code unanimous}: every candidate of the
 *     task must have made the same passing change
 * @param quorum for {@code quorum}: how many candidates must agree
 */
public record VoteSpec(String strategy, Integer quorum) {}
