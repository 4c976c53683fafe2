package dev.converge.pipelines.change;

import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.agent.SimulatedAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Turns the spec's agent entries into configured {@link Agent}s. */
public final class AgentFactory {
  /** Used when a command agent has no {@code timeoutSeconds}. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 600;

  private AgentFactory() {}

  public static Agent create(AgentSpec spec, Path specDir) {
    return switch (spec.type()) {
      case "command" ->
          CommandAgent.of(spec.id(), expandSpecDir(spec.command(), specDir))
              .withTimeout(
                  Duration.ofSeconds(
                      spec.timeoutSeconds() != null ? spec.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS))
              .withEnv(spec.env());
      case "simulated" ->
          SimulatedAgent.of(spec.id())
              .withSeed(spec.seed() != null ? spec.seed() : 0L)
              .withLatency(Duration.ofMillis(spec.latencyMs() != null ? spec.latencyMs() : 0L))
              .withWrongRate(spec.wrongRate() != null ? spec.wrongRate() : 0.0);
      default ->
          throw new IllegalArgumentException(
              "agent " + spec.id() + " has type '" + spec.type() + "', which the parser should have refused");
    };
  }

  private static List<String> expandSpecDir(List<String> argv, Path specDir) {
    String dir = specDir.toAbsolutePath().normalize().toString();
    return argv.stream().map(arg -> arg.replace("{specDir}", dir)).toList();
  }
}
