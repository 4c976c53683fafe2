package dev.converge.pipelines.spec;

/**
 * How candidates whose tests pass are compared.
 *
 * @param strategy {@code majority}: the largest cluster of identical (normalized) patches wins
 */
public record VoteSpec(String strategy) {}
