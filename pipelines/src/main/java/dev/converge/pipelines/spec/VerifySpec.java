package dev.converge.pipelines.spec;

/**
 * The adversarial verifier of a review job: it is asked to refute every finding that reached the
 * quorum and must print a JSON verdict.
 *
 * @param agent the id of a defined command agent
 * @param onError what happens to a finding whose verification fails (crash, timeout, invalid
 *     verdict): {@code report} it as unverified (default) or {@code drop} it
 */
public record VerifySpec(String agent, String onError) {}
