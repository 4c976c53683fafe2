package dev.converge.pipelines.change;

import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.ErrorRatesSpec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.AnthropicAgent;
import dev.converge.transforms.agent.CallLimits;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.workspace.Sandbox;
import dev.converge.transforms.agent.OpenAiAgent;
import dev.converge.transforms.agent.ReplayAgent;
import dev.converge.transforms.agent.SimulatedAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Turns the spec's agent entries into configured {@link Agent}s. */
public final class AgentFactory {
  /** Used when an agent has no {@code timeoutSeconds} (per process, or per request). */
  public static final int DEFAULT_TIMEOUT_SECONDS = 600;

  private AgentFactory() {}

  public static Agent create(AgentSpec spec, Path specDir) {
    Duration timeout =
        Duration.ofSeconds(spec.timeoutSeconds() != null ? spec.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS);
    CallLimits limits = limits(spec, timeout);
    return switch (spec.type()) {
      case "command" ->
          CommandAgent.of(spec.id(), expandSpecDir(spec.command(), specDir))
              .withTimeout(timeout)
              .withEnv(spec.env())
              .withConcurrency(orZero(spec.concurrency()))
              .withSandbox(spec.sandbox() == null ? Sandbox.OFF : Sandbox.named(spec.sandbox()));
      case "simulated" -> {
        SimulatedAgent agent =
            SimulatedAgent.of(spec.id())
                .withSeed(spec.seed() != null ? spec.seed() : 0L)
                .withLatency(Duration.ofMillis(spec.latencyMs() != null ? spec.latencyMs() : 0L))
                .withWrongRate(spec.wrongRate() != null ? spec.wrongRate() : 0.0)
                .withPlausibleRate(spec.plausibleRate() != null ? spec.plausibleRate() : 0.0)
                .withLimits(limits);
        if (spec.latencyDistribution() != null) {
          agent = agent.withLatencyDistribution(SimulatedAgent.LatencyDistribution.named(spec.latencyDistribution()));
        }
        if (spec.errors() != null) {
          agent = agent.withErrors(errorRates(spec.errors()));
        }
        if (spec.retryAfterSeconds() != null) {
          agent = agent.withRetryAfter(Duration.ofSeconds(spec.retryAfterSeconds()));
        }
        if (spec.model() != null) {
          agent = agent.withModel(spec.model());
        }
        yield agent;
      }
      case "openai" -> {
        OpenAiAgent agent = OpenAiAgent.of(spec.id(), spec.model()).withLimits(limits);
        if (spec.baseUrl() != null) {
          agent = agent.withBaseUrl(spec.baseUrl());
        }
        if (spec.apiKeyEnv() != null) {
          agent = agent.withApiKeyEnv(spec.apiKeyEnv());
        }
        if (spec.maxTokens() != null) {
          agent = agent.withMaxTokens(spec.maxTokens());
        }
        yield agent.withTemperature(spec.temperature());
      }
      case "anthropic" -> {
        AnthropicAgent agent = AnthropicAgent.of(spec.id(), spec.model()).withLimits(limits);
        if (spec.baseUrl() != null) {
          agent = agent.withBaseUrl(spec.baseUrl());
        }
        if (spec.apiKeyEnv() != null) {
          agent = agent.withApiKeyEnv(spec.apiKeyEnv());
        }
        if (spec.maxTokens() != null) {
          agent = agent.withMaxTokens(spec.maxTokens());
        }
        yield agent.withTemperature(spec.temperature());
      }
      case "replay" -> {
        ReplayAgent agent =
            ReplayAgent.of(spec.id(), specDir.resolve(spec.cassette()).toAbsolutePath().normalize())
                .withLimits(limits);
        yield spec.replayOf() != null ? agent.replaying(spec.replayOf()) : agent;
      }
      default ->
          throw new IllegalArgumentException(
              "agent " + spec.id() + " has type '" + spec.type() + "', which the parser should have refused");
    };
  }

  private static CallLimits limits(AgentSpec spec, Duration timeout) {
    CallLimits limits =
        CallLimits.DEFAULT
            .withTimeout(timeout)
            .withConcurrency(orZero(spec.concurrency()))
            .withRequestsPerMinute(orZero(spec.requestsPerMinute()))
            .withTokensPerMinute(spec.tokensPerMinute() != null ? spec.tokensPerMinute() : 0L);
    return spec.maxAttempts() != null ? limits.withMaxAttempts(spec.maxAttempts()) : limits;
  }

  private static SimulatedAgent.ErrorRates errorRates(ErrorRatesSpec spec) {
    return new SimulatedAgent.ErrorRates(
        orZero(spec.rateLimit()), orZero(spec.serverError()), orZero(spec.timeout()), orZero(spec.malformed()));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  private static List<String> expandSpecDir(List<String> argv, Path specDir) {
    String dir = specDir.toAbsolutePath().normalize().toString();
    return argv.stream().map(arg -> arg.replace("{specDir}", dir)).toList();
  }
}
