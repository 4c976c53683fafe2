package dev.converge.pipelines.spec;

/**
 * How often a simulated agent's requests fail, each a probability per request; together at most 1.
 *
 * @param rateLimit HTTP 429 with a Retry-After of {@code retryAfterSeconds}
 * @param serverError HTTP 500
 * @param timeout no answer within the agent's {@code timeoutSeconds}
 * @param malformed an answer without a diff (a failed candidate; not retried)
 */
public record ErrorRatesSpec(Double rateLimit, Double serverError, Double timeout, Double malformed) {}
