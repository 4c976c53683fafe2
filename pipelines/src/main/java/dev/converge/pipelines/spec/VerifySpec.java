package dev.converge.pipelines.spec;

/**
 * The verifier of a job.
 *
 * <p>In a review job, an adversarial verifier asked to refute every finding that reached the quorum;
 * it prints a JSON verdict ({@code confirmed} or {@code refuted}).
 *
 * <p>In a change job, the loop verifier -> repair -> verifier: the verifier judges each task's
 * winning patch (after the tests passed) and answers {@code {"verdict": "pass"|"fail", "reasons",
 * "locations", "score"}}; a rejected patch, or a task whose candidates all failed the tests, goes to
 * the {@code repair} agent with the reasons, and its repaired patch is tested and judged again, for
 * at most {@code rounds} rounds. A task is merged only when the verifier (and the {@code
 * finalAgent}, when there is one) accepted its patch.
 *
 * @param agent the id of the verifier agent (review jobs: a command agent; change jobs: any agent)
 * @param onError review jobs: what happens to a finding whose verification fails (crash, timeout,
 *     invalid verdict): {@code report} it as unverified (default) or {@code drop} it
 * @param repair change jobs: the id of the agent that repairs rejected patches (none: no repair)
 * @param rounds change jobs: the most repair rounds (default 1; needs {@code repair})
 * @param finalAgent change jobs: the id of an agent that must also accept every patch before its
 *     task is merged; its rejection is final (none: the verifier's acceptance is final)
 * @param confirmRepairs change jobs: how many independent judgements of the verifier must all
 *     accept a repaired patch (default 2: a repair has no vote behind it, so one judgement is
 *     weaker evidence than for a vote winner; needs {@code repair})
 * @param repairSamples change jobs: repairs per task and round (default 1); with more, the passing
 *     repairs vote like the first candidates (needs {@code repair})
 */
public record VerifySpec(
    String agent,
    String onError,
    String repair,
    Integer rounds,
    String finalAgent,
    Integer confirmRepairs,
    Integer repairSamples) {}
