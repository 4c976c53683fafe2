package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec fields of API providers, limits, budget, prices and cache. */
class AgentCallSpecTest {
  private static final String HEAD =
      """
      name: calls
      kind: change
      targets:
        - path: repo
      plan:
        tasks:
          - {id: t1, instructions: do it, files: [a.py]}
      test:
        command: make test
      """;

  private static Spec parse(String yaml) throws SpecException {
    return SpecParser.parse(HEAD + yaml, "calls.yaml");
  }

  private static List<String> errors(String yaml) {
    return SpecParserErrorsTest.errors(HEAD + yaml);
  }

  @Test
  void everyProviderTypeWithItsFieldsParses() throws Exception {
    Spec spec =
        parse(
            """
            agents:
              - id: gpt
                type: openai
                model: gpt-4o-mini
                baseUrl: http://127.0.0.1:8000/v1
                apiKeyEnv: VLLM_KEY
                maxTokens: 2000
                temperature: 0.2
                concurrency: 32
                requestsPerMinute: 500
                tokensPerMinute: 200000
                maxAttempts: 6
                timeoutSeconds: 120
              - {id: claude, type: anthropic, model: claude-sonnet-4-5}
              - id: sim
                type: simulated
                model: sim-large
                latencyMs: 800
                latencyDistribution: lognormal
                errors: {rateLimit: 0.1, serverError: 0.05, timeout: 0.01, malformed: 0.02}
                retryAfterSeconds: 2
              - {id: again, type: replay, cassette: calls.jsonl, replayOf: gpt}
            budget: {maxUsd: 5, maxTokens: 1000000, maxUsdPerTask: 0.5, maxTokensPerTask: 100000}
            prices:
              gpt-4o-mini: {input: 0.15, output: 0.6}
              claude-sonnet-4-5: {input: 3, output: 15}
            cache: {dir: .cache, mode: refresh}
            """);
    AgentSpec gpt = spec.agents().get(0);
    assertEquals("openai", gpt.type());
    assertEquals("http://127.0.0.1:8000/v1", gpt.baseUrl());
    assertEquals("VLLM_KEY", gpt.apiKeyEnv());
    assertEquals(2000, gpt.maxTokens());
    assertEquals(0.2, gpt.temperature());
    assertEquals(32, gpt.concurrency());
    assertEquals(500, gpt.requestsPerMinute());
    assertEquals(200_000L, gpt.tokensPerMinute());
    assertEquals(6, gpt.maxAttempts());
    AgentSpec sim = spec.agents().get(2);
    assertEquals("lognormal", sim.latencyDistribution());
    assertEquals(new ErrorRatesSpec(0.1, 0.05, 0.01, 0.02), sim.errors());
    assertEquals(2, sim.retryAfterSeconds());
    assertEquals("calls.jsonl", spec.agents().get(3).cassette());
    assertEquals("gpt", spec.agents().get(3).replayOf());
    assertEquals(new BudgetSpec(5.0, 1_000_000L, 0.5, 100_000L), spec.budget());
    assertEquals(
        Map.of("gpt-4o-mini", new PriceSpec(0.15, 0.6), "claude-sonnet-4-5", new PriceSpec(3.0, 15.0)),
        spec.prices());
    assertEquals(new CacheSpec(".cache", "refresh"), spec.cache());
  }

  @Test
  void withoutTheNewSectionsNothingChanges() throws Exception {
    Spec spec = parse("agents:\n  - {id: sim, type: simulated}\n");
    assertNull(spec.budget());
    assertEquals(Map.of(), spec.prices());
    assertNull(spec.cache());
  }

  @Test
  void fieldsOfOtherAgentTypesAndMissingRequiredFieldsAreErrors() {
    assertEquals(
        List.of(
            "agents[0].baseUrl: only openai and anthropic agents take 'baseUrl' (line 11, col 42)",
            "agents[1]: missing required field 'model' (openai agents need one) (line 12, col 5)",
            "agents[2].maxAttempts: only openai, anthropic and simulated agents take 'maxAttempts' (line 13, col 42)",
            "agents[3]: missing required field 'cassette' (replay agents need one) (line 14, col 5)",
            "agents[3].seed: only simulated agents take 'seed' (line 14, col 27)"),
        errors(
            """
            agents:
              - {id: a, type: command, command: [x], baseUrl: http://x}
              - {id: b, type: openai}
              - {id: c, type: command, command: [x], maxAttempts: 3}
              - {id: d, type: replay, seed: 1}
            """));
  }

  @Test
  void keysDoNotGoInSpecsAndRatesAndRangesAreChecked() {
    assertEquals(
        List.of(
            "agents[0].apiKeyEnv: must name an environment variable (letters, digits, '_'); never write a key in a spec (line 11, col 48)",
            "agents[1].errors: the rates add up to more than 1 (line 12, col 38)",
            "agents[1].latencyDistribution: unknown latencyDistribution 'pareto' (expected one of: fixed, uniform, exponential, lognormal) (line 12, col 95)",
            "agents[2].concurrency: must be between 1 and 10000 (line 13, col 53)",
            "budget.maxUsd: must be 0.001 or more (line 15, col 11)",
            "cache.mode: unknown mode 'sometimes' (expected one of: readwrite, refresh, off) (line 17, col 9)",
            "prices.m.output: must be 0 or more (line 19, col 25)"),
        errors(
            """
            agents:
              - {id: a, type: openai, model: m, apiKeyEnv: sk-proj-abc123}
              - {id: b, type: simulated, errors: {rateLimit: 0.6, serverError: 0.6}, latencyDistribution: pareto}
              - {id: c, type: anthropic, model: m, concurrency: 0}
            budget:
              maxUsd: 0
            cache:
              mode: sometimes
            prices:
              m: {input: 1, output: -1}
            """));
  }

  @Test
  void aUsdBudgetNeedsThePriceOfEveryApiModel() {
    assertEquals(
        List.of(
            "agents[1].model: no price for model 'claude-x' in 'prices'; a USD budget needs one (line 12, col 37)"),
        errors(
            """
            agents:
              - {id: a, type: openai, model: gpt-x}
              - {id: b, type: anthropic, model: claude-x}
              - {id: s, type: simulated, model: unpriced-simulation}
            budget: {maxUsdPerTask: 1}
            prices:
              gpt-x: {input: 1, output: 2}
            """));
  }
}
