package dev.converge.pipelines.spec;

/**
 * One reviewer of a review job.
 *
 * @param agent the id of a defined command agent
 * @param samples how many independent reviews it makes of each chunk (default 1); samples of one
 *     agent count once towards the quorum
 */
public record ReviewerSpec(String agent, Integer samples) {}
