package dev.converge.pipelines.specdriven;

import dev.converge.pipelines.spec.PriceSpec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.agent.ModelAgent;
import dev.converge.transforms.agent.ModelAgentWithContext;
import dev.converge.transforms.agent.PromptBuilder;
import dev.converge.transforms.model.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The cost of a plan before it runs, from the spec's {@code prices} (USD per million tokens by
 * model). Each call of a model agent is estimated at its prompt (the task's files at the base
 * commit and the context documents, 4 characters a token) plus its {@code maxTokens} of answer
 * ({@value #DEFAULT_OUTPUT_TOKENS} when it has none). Command agents report no tokens and are not
 * priced; simulated agents cost nothing. Without a price table, or with a model agent whose model
 * has no price, the cost is unknown (null).
 */
final class CostEstimate {
  static final long DEFAULT_OUTPUT_TOKENS = 2048;

  private CostEstimate() {}

  /** The estimated USD (null when unknown) and a note that says how it was made. */
  record Result(Double costUsd, String note) {}

  static Result of(List<Task> tasks, List<Agent> agents, int samples, Map<String, PriceSpec> prices) {
    if (prices == null || prices.isEmpty()) {
      return new Result(null, "no price table in the spec: the cost of its agents cannot be estimated");
    }
    List<String> notes = new ArrayList<>();
    TreeSet<String> unpriced = new TreeSet<>();
    long commandAgents = agents.stream().filter(a -> a instanceof CommandAgent).count();
    double usd = 0;
    long inputTokens = 0;
    long outputTokens = 0;
    for (Agent agent : agents) {
      if (!(agent instanceof ModelAgent model) || agent.kind().equals("simulated") || agent.kind().equals("replay")) {
        continue;
      }
      PriceSpec price = prices.get(agent.model());
      if (price == null) {
        unpriced.add(agent.model().isEmpty() ? agent.id() : agent.model());
        continue;
      }
      long output = model.maxOutputTokens() > 0 ? model.maxOutputTokens() : DEFAULT_OUTPUT_TOKENS;
      for (Task task : tasks) {
        long input = promptTokens(task) + contextTokens(agent);
        inputTokens += input * samples;
        outputTokens += output * samples;
        usd += samples * (input * nonNull(price.input()) + output * nonNull(price.output())) / 1_000_000.0;
      }
    }
    if (!unpriced.isEmpty()) {
      return new Result(null, "no price in the spec's prices for " + unpriced + ": the cost cannot be estimated");
    }
    notes.add(
        String.format(
            Locale.ROOT,
            "about %d input and %d output tokens of model agents (prompt at 4 characters a token; answers at maxTokens, else %d)",
            inputTokens, outputTokens, DEFAULT_OUTPUT_TOKENS));
    if (commandAgents > 0) {
      notes.add(commandAgents + " command agents are not priced");
    }
    return new Result(Math.round(usd * 1e6) / 1e6, String.join("; ", notes));
  }

  private static long promptTokens(Task task) {
    try {
      return PromptBuilder.atBaseCommit(task).estimatedTokens();
    } catch (IOException | RuntimeException e) {
      return (task.instructions().length() + task.goal().length()) / 4 + 1;
    }
  }

  private static long contextTokens(Agent agent) {
    return agent instanceof ModelAgentWithContext withContext
        ? withContext.documents().stream().mapToLong(d -> d.name().length() + d.text().length()).sum() / 4
        : 0;
  }

  private static double nonNull(Double value) {
    return value == null ? 0 : value;
  }
}
