package dev.converge.pipelines.spec;

import dev.converge.pipelines.spec.YamlNode.Entry;
import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Scalar;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of agent entries that span fields: which fields each agent type takes and needs, the
 * simulated error mix, key variables that look like keys, and prices that a USD budget needs.
 */
final class AgentChecks {
  private static final List<String> ALL =
      List.of(
          SpecFormat.COMMAND_AGENT,
          SpecFormat.OPENAI_AGENT,
          SpecFormat.ANTHROPIC_AGENT,
          SpecFormat.SIMULATED_AGENT,
          SpecFormat.REPLAY_AGENT);
  private static final List<String> API =
      List.of(SpecFormat.OPENAI_AGENT, SpecFormat.ANTHROPIC_AGENT);
  private static final List<String> MODELS =
      List.of(SpecFormat.OPENAI_AGENT, SpecFormat.ANTHROPIC_AGENT, SpecFormat.SIMULATED_AGENT);
  private static final List<String> SIMULATED = List.of(SpecFormat.SIMULATED_AGENT);

  /** The agent types that take each field that not every type takes. */
  private static final Map<String, List<String>> TYPES_OF_FIELD = new LinkedHashMap<>();

  static {
    TYPES_OF_FIELD.put("command", List.of(SpecFormat.COMMAND_AGENT));
    TYPES_OF_FIELD.put("env", List.of(SpecFormat.COMMAND_AGENT));
    TYPES_OF_FIELD.put("sandbox", List.of(SpecFormat.COMMAND_AGENT));
    for (String field :
        List.of(
            "seed", "latencyMs", "wrongRate", "plausibleRate", "latencyDistribution", "errors",
            "retryAfterSeconds")) {
      TYPES_OF_FIELD.put(field, SIMULATED);
    }
    TYPES_OF_FIELD.put("model", MODELS);
    for (String field : List.of("baseUrl", "apiKeyEnv", "maxTokens", "temperature")) {
      TYPES_OF_FIELD.put(field, API);
    }
    TYPES_OF_FIELD.put("tokensPerMinute", MODELS);
    TYPES_OF_FIELD.put("maxAttempts", MODELS);
    TYPES_OF_FIELD.put("cassette", List.of(SpecFormat.REPLAY_AGENT));
    TYPES_OF_FIELD.put("replayOf", List.of(SpecFormat.REPLAY_AGENT));
  }

  /** The field each type needs, with why. */
  private static final Map<String, String> REQUIRED_BY_TYPE =
      Map.of(
          SpecFormat.COMMAND_AGENT, "command",
          SpecFormat.OPENAI_AGENT, "model",
          SpecFormat.ANTHROPIC_AGENT, "model",
          SpecFormat.REPLAY_AGENT, "cassette");

  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private AgentChecks() {}

  /** Checks the fields of one agent of type {@code type} (a known type or not). */
  static void checkFields(String path, Mapping agent, String type, SpecErrors errors) {
    if (!ALL.contains(type)) {
      return; // RecordBinder reported the unknown type
    }
    for (Map.Entry<String, List<String>> field : TYPES_OF_FIELD.entrySet()) {
      Entry entry = agent.entry(field.getKey());
      if (entry != null && !field.getValue().contains(type)) {
        errors.add(
            FieldPath.child(path, field.getKey()),
            entry.keyLocation(),
            "only " + join(field.getValue()) + " agents take '" + field.getKey() + "'");
      }
    }
    String required = REQUIRED_BY_TYPE.get(type);
    if (required != null) {
      YamlNode value = agent.get(required);
      if (value == null) {
        errors.add(
            path,
            agent.location(),
            "missing required field '" + required + "' (" + type + " agents need one)");
      } else if (value.isNull() || (value instanceof Sequence s && s.items().isEmpty())) {
        errors.add(FieldPath.child(path, required), value.location(), "must not be empty");
      }
    }
    agent
        .text("apiKeyEnv")
        .ifPresent(
            name -> {
              if (!VARIABLE.matcher(name).matches()) {
                errors.add(
                    FieldPath.child(path, "apiKeyEnv"),
                    agent.get("apiKeyEnv").location(),
                    "must name an environment variable (letters, digits, '_'); never write a key in a spec");
              }
            });
    if (agent.get("errors") instanceof Mapping rates) {
      double sum = 0;
      for (String rate : List.of("rateLimit", "serverError", "timeout", "malformed")) {
        if (rates.get(rate) instanceof Scalar scalar && scalar.number() != null) {
          sum += scalar.number().doubleValue();
        }
      }
      if (sum > 1 + 1e-9) {
        errors.add(FieldPath.child(path, "errors"), rates.location(), "the rates add up to more than 1");
      }
    }
  }

  /** A USD budget needs the price of every API agent's model. */
  static void checkPrices(Mapping root, SpecErrors errors) {
    if (!(root.get("budget") instanceof Mapping budget)
        || (budget.get("maxUsd") == null && budget.get("maxUsdPerTask") == null)) {
      return;
    }
    List<String> priced = new ArrayList<>();
    if (root.get("prices") instanceof Mapping prices) {
      priced.addAll(prices.entries().keySet());
    }
    if (!(root.get("agents") instanceof Sequence agents)) {
      return;
    }
    for (int i = 0; i < agents.items().size(); i++) {
      if (agents.items().get(i) instanceof Mapping agent
          && agent.text("type").filter(API::contains).isPresent()) {
        String path = FieldPath.element("agents", i);
        agent
            .text("model")
            .filter(model -> !priced.contains(model))
            .ifPresent(
                model ->
                    errors.add(
                        FieldPath.child(path, "model"),
                        agent.get("model").location(),
                        "no price for model '" + model + "' in 'prices'; a USD budget needs one"));
      }
    }
  }

  private static String join(List<String> types) {
    if (types.size() == 1) {
      return types.get(0);
    }
    return String.join(", ", types.subList(0, types.size() - 1)) + " and " + types.get(types.size() - 1);
  }
}
