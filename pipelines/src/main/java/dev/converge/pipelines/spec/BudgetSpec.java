package dev.converge.pipelines.spec;

/**
 * What a job may spend on agent calls. When a limit is reached no new call starts (calls already
 * in flight finish), and the attempts that were not called end as failed candidates with reason
 * {@code budget: ...}; a task none of whose calls could be made ends {@code failed}.
 *
 * @param maxUsd USD for the whole job, by the {@code prices} table (optional)
 * @param maxTokens input plus output tokens for the whole job (optional)
 * @param maxUsdPerTask USD for the calls of one task (optional)
 * @param maxTokensPerTask tokens for the calls of one task (optional)
 */
public record BudgetSpec(Double maxUsd, Long maxTokens, Double maxUsdPerTask, Long maxTokensPerTask) {}
