package dev.converge.transforms.model;

/**
 * One repair round of a task: what the repair agent was told and what it made.
 *
 * @param round 1 for the first repair round
 * @param repairedPatchHash the hash of the patch it was asked to repair ({@code ""} when it started
 *     from the base commit)
 * @param feedback the verifier's verdict or the test output it was given
 * @param candidate the repaired candidate, tested
 */
public record Repair(int round, String repairedPatchHash, String feedback, Candidate candidate) {}
