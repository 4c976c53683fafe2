package dev.converge.pipelines.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.AnthropicAgent;
import dev.converge.transforms.agent.BudgetLimits;
import dev.converge.transforms.agent.OpenAiAgent;
import dev.converge.transforms.agent.Price;
import dev.converge.transforms.agent.ReplayAgent;
import dev.converge.transforms.agent.ResultCache;
import dev.converge.transforms.agent.SimulatedAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Spec agent entries become configured agents; budget, prices and cache become call settings. */
class AgentFactoryTest {
  private static final Path SPEC_DIR = Path.of("/specs/job");

  private static Spec spec(String agents, String more) throws Exception {
    return SpecParser.parse(
        """
        name: calls
        kind: change
        targets:
          - path: repo
        plan:
          tasks:
            - {id: t1, instructions: do it}
        test:
          command: make test
        agents:
        """
            + agents
            + more,
        "calls.yaml");
  }

  private static Agent only(String agent) throws Exception {
    return AgentFactory.create(spec(agent, "").agents().get(0), SPEC_DIR);
  }

  @Test
  void openAiAgentsGetTheirEndpointModelLimitsAndKeyVariable() throws Exception {
    Agent agent =
        only(
            "  - {id: gpt, type: openai, model: gpt-4o-mini, baseUrl: 'http://127.0.0.1:8000/v1/',"
                + " apiKeyEnv: LOCAL_KEY, concurrency: 12, requestsPerMinute: 90, tokensPerMinute: 5000,"
                + " maxAttempts: 3, timeoutSeconds: 30, maxTokens: 100}\n");
    OpenAiAgent openAi = assertInstanceOf(OpenAiAgent.class, agent);
    assertEquals("openai http://127.0.0.1:8000/v1 LOCAL_KEY", openAi.providerKey());
    assertEquals("gpt-4o-mini", openAi.model());
    assertEquals(100, openAi.maxOutputTokens());
    assertEquals(12, openAi.limits().concurrency());
    assertEquals(90, openAi.limits().requestsPerMinute());
    assertEquals(5000, openAi.limits().tokensPerMinute());
    assertEquals(3, openAi.limits().maxAttempts());
    assertEquals(Duration.ofSeconds(30), openAi.limits().timeout());
  }

  @Test
  void anthropicSimulatedAndReplayAgents() throws Exception {
    AnthropicAgent claude =
        assertInstanceOf(AnthropicAgent.class, only("  - {id: c, type: anthropic, model: claude-x}\n"));
    assertEquals("anthropic https://api.anthropic.com ANTHROPIC_API_KEY", claude.providerKey());

    SimulatedAgent sim =
        assertInstanceOf(
            SimulatedAgent.class,
            only("  - {id: s, type: simulated, model: sim-model, latencyMs: 5, concurrency: 64}\n"));
    assertEquals("sim-model", sim.model());
    assertEquals(64, sim.limits().concurrency());

    ReplayAgent replay =
        assertInstanceOf(ReplayAgent.class, only("  - {id: r, type: replay, cassette: rec/calls.jsonl}\n"));
    assertEquals("/specs/job/rec/calls.jsonl", replay.fingerprint().get("cassette"));
  }

  @Test
  void budgetPricesAndCacheComeFromTheSpecAndTheCommandLineWins() throws Exception {
    Spec spec =
        spec(
            "  - {id: s, type: simulated}\n",
            "budget: {maxUsd: 2.5, maxTokensPerTask: 1000}\n"
                + "prices: {m: {input: 1, output: 4}}\n"
                + "cache: {dir: ../shared-cache, mode: refresh}\n");
    AgentCallPlan plan = AgentCallPlan.of(spec, SPEC_DIR);
    assertEquals(new BudgetLimits(2.5, 0, 0, 1000), plan.budget());
    assertEquals(Map.of("m", new Price(1, 4)), plan.prices());

    PipelineOptions options = PipelineOptionsFactory.create();
    assertEquals("/specs/shared-cache", plan.cacheDir(options, "/out"));
    assertEquals(ResultCache.Mode.REFRESH, plan.cacheMode(options));

    AgentCallOptions calls = options.as(AgentCallOptions.class);
    calls.setAgentCacheDir("/tmp/flag-cache");
    calls.setAgentCacheMode("off");
    assertEquals("/tmp/flag-cache", plan.cacheDir(options, "/out"));
    assertEquals(ResultCache.Mode.OFF, plan.cacheMode(options));
  }

  @Test
  void theDefaultCacheIsInTheOutputFolder() throws Exception {
    AgentCallPlan plan = AgentCallPlan.of(spec("  - {id: s, type: simulated}\n", ""), SPEC_DIR);
    PipelineOptions options = PipelineOptionsFactory.create();
    assertEquals("/out/cache", plan.cacheDir(options, "/out"));
    assertEquals(ResultCache.Mode.READ_WRITE, plan.cacheMode(options));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache", "converge").toString(),
        plan.cacheDir(options, "gs://bucket/out"));
  }
}
