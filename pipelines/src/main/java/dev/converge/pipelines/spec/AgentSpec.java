package dev.converge.pipelines.spec;

import java.util.List;
import java.util.Map;

/**
 * An agent that can implement tasks.
 *
 * @param id unique agent id
 * @param type {@code command} (a real process run in the task's worktree), {@code openai} (any
 *     OpenAI-compatible chat-completions endpoint), {@code anthropic} (the Messages API), {@code
 *     simulated} (a labelled synthetic model for dry runs and benchmarks) or {@code replay}
 *     (answers recorded with {@code --record})
 * @param command for {@code command}: the argv; {@code {specDir}} is replaced by the spec's folder
 * @param timeoutSeconds for {@code command}: the process is killed after this many seconds; for
 *     model agents: how long one request may take (default 600)
 * @param env for {@code command}: extra environment variables
 * @param seed for {@code simulated}: the random seed (default 0)
 * @param latencyMs for {@code simulated}: how long each call pretends to take (default 0)
 * @param wrongRate for {@code simulated}: probability of a wrong change (default 0)
 * @param model for {@code openai} and {@code anthropic} (required) and {@code simulated}: the model
 *     name, also the key of its price in {@code prices}
 * @param baseUrl for {@code openai} (default {@code https://api.openai.com/v1}) and {@code
 *     anthropic} (default {@code https://api.anthropic.com}): the endpoint
 * @param apiKeyEnv for {@code openai} and {@code anthropic}: the environment variable that holds
 *     the key (default {@code OPENAI_API_KEY} or {@code ANTHROPIC_API_KEY}); keys never go in specs
 * @param maxTokens for {@code openai} and {@code anthropic}: the most output tokens per answer
 * @param temperature for {@code openai} and {@code anthropic}: the sampling temperature
 * @param concurrency how many calls may be in flight at once (default: {@code --parallelism});
 *     agents of one provider (same type, base URL and key variable) share the smallest
 * @param requestsPerMinute requests started in any 60 s window (shared like {@code concurrency})
 * @param tokensPerMinute for model agents: tokens in any 60 s window (shared like {@code
 *     concurrency})
 * @param maxAttempts for model agents: requests per call, first try included (default 5); 429,
 *     5xx and timeouts are retried with exponential backoff and jitter, honouring Retry-After
 * @param latencyDistribution for {@code simulated}: {@code fixed} (default), {@code uniform},
 *     {@code exponential} or {@code lognormal} around {@code latencyMs}
 * @param errors for {@code simulated}: how often requests fail, and how
 * @param retryAfterSeconds for {@code simulated}: the Retry-After of its 429s (default 1)
 * @param cassette for {@code replay} (required): the file written by {@code --record}, relative
 *     to the spec file
 * @param replayOf for {@code replay}: the id of the recorded agent (default: this agent's id)
 * @param sandbox for {@code command}: {@code on} runs the agent under bubblewrap, without network and
 *     with only its checkout writable (its calls fail where bubblewrap does not work); {@code auto}
 *     where it works; {@code off} (default: CLI agents usually need the network)
 * @param plausibleRate for {@code simulated}: the share of its wrong answers that pass tests that
 *     only reject obviously wrong ones (default 0; see {@code SimulatedAgent#withPlausibleRate})
 */
public record AgentSpec(
    String id,
    String type,
    List<String> command,
    Integer timeoutSeconds,
    Map<String, String> env,
    Long seed,
    Long latencyMs,
    Double wrongRate,
    String model,
    String baseUrl,
    String apiKeyEnv,
    Integer maxTokens,
    Double temperature,
    Integer concurrency,
    Integer requestsPerMinute,
    Long tokensPerMinute,
    Integer maxAttempts,
    String latencyDistribution,
    ErrorRatesSpec errors,
    Integer retryAfterSeconds,
    String cassette,
    String replayOf,
    Double plausibleRate,
    String sandbox) {
  public AgentSpec {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** An agent with only the fields of command and simulated agents. */
  public AgentSpec(
      String id,
      String type,
      List<String> command,
      Integer timeoutSeconds,
      Map<String, String> env,
      Long seed,
      Long latencyMs,
      Double wrongRate) {
    this(
        id, type, command, timeoutSeconds, env, seed, latencyMs, wrongRate, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
