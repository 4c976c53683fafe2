package dev.converge.pipelines.spec;

import dev.converge.pipelines.spec.YamlNode.Entry;
import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that span several fields: unique ids, references between sections, fields that only fit
 * one agent type, and fan-out templates.
 *
 * <p>They read the YAML tree rather than the records so that they still run, and report line
 * numbers, when other parts of the spec are broken. Nodes of the wrong shape are skipped: {@link
 * RecordBinder} has reported them already.
 */
final class SpecChecks {
  private static final List<String> COMMAND_AGENT_ONLY = List.of("command", "env");
  private static final List<String> SIMULATED_AGENT_ONLY =
      List.of("seed", "latencyMs", "wrongRate");
  private static final List<String> FAN_OUT_TEMPLATES = List.of("id", "instructions", "test");
  // The lookbehind leaves shell variables like ${HOME} in test commands alone.
  private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([A-Za-z][A-Za-z0-9_]*)}");

  private final SpecErrors errors;

  private SpecChecks(SpecErrors errors) {
    this.errors = errors;
  }

  static void check(Mapping root, SpecErrors errors) {
    SpecChecks checks = new SpecChecks(errors);
    Set<String> targetIds = checks.checkTargets(root.get("targets"));
    checks.checkPlan(root.get("plan"), targetIds);
    Set<String> agentIds = checks.checkAgents(root.get("agents"));
    checks.checkImplement(root.get("implement"), agentIds);
  }

  /** Checks that target ids, given or derived from the path, are unique; returns them. */
  private Set<String> checkTargets(YamlNode targets) {
    Map<String, Location> ids = new LinkedHashMap<>();
    forEachMapping(targets, "targets", (path, target) -> checkTargetId(path, target, ids));
    return ids.keySet();
  }

  private void checkTargetId(String path, Mapping target, Map<String, Location> ids) {
    YamlNode id = target.get("id");
    if (id != null && !id.isNull()) {
      id.asText()
          .ifPresent(text -> checkUnique("target", text, FieldPath.child(path, "id"), id, ids));
      return;
    }
    Optional<String> repoPath = target.text("path");
    if (repoPath.isEmpty()) {
      return;
    }
    String pathField = FieldPath.child(path, "path");
    YamlNode pathNode = target.get("path");
    Optional<String> derived = SpecFormat.defaultTargetId(repoPath.get());
    if (derived.isPresent()) {
      checkUnique("target", derived.get(), pathField, pathNode, ids);
    } else {
      String message = "cannot derive a target id from path '" + repoPath.get() + "'; add an 'id'";
      errors.add(pathField, pathNode.location(), message);
    }
  }

  private void checkPlan(YamlNode planNode, Set<String> targetIds) {
    if (!(planNode instanceof Mapping plan)) {
      return;
    }
    if (isEmpty(plan.get("tasks")) && isEmpty(plan.get("forEachFile"))) {
      errors.add("plan", plan.location(), "needs at least one entry in 'tasks' or 'forEachFile'");
    }
    Map<String, Location> taskIds = new LinkedHashMap<>();
    forEachMapping(
        plan.get("tasks"), "plan.tasks", (path, task) -> checkTask(path, task, taskIds, targetIds));
    forEachMapping(plan.get("forEachFile"), "plan.forEachFile", this::checkFanOut);
  }

  private void checkTask(
      String path, Mapping task, Map<String, Location> taskIds, Set<String> targetIds) {
    task.text("id")
        .ifPresent(
            id -> checkUnique("task", id, FieldPath.child(path, "id"), task.get("id"), taskIds));
    Optional<String> target = task.text("target");
    // With no target ids known, every reference would look wrong; the missing targets are reported.
    if (target.isPresent() && !targetIds.isEmpty() && !targetIds.contains(target.get())) {
      String hint = Suggestions.hint(target.get(), targetIds, "defined targets");
      errors.add(
          FieldPath.child(path, "target"),
          task.get("target").location(),
          "unknown target '" + target.get() + "'" + hint);
    }
  }

  private void checkFanOut(String path, Mapping fanOut) {
    for (String field : FAN_OUT_TEMPLATES) {
      fanOut
          .text(field)
          .ifPresent(
              template ->
                  checkPlaceholders(FieldPath.child(path, field), template, fanOut.get(field)));
    }
    fanOut
        .text("id")
        .ifPresent(
            template -> checkIdTemplate(FieldPath.child(path, "id"), template, fanOut.get("id")));
  }

  private void checkPlaceholders(String path, String template, YamlNode node) {
    for (String placeholder : placeholders(template)) {
      if (!SpecFormat.FAN_OUT_PLACEHOLDERS.contains(placeholder)) {
        String hint =
            Suggestions.hint(placeholder, SpecFormat.FAN_OUT_PLACEHOLDERS, "expected one of");
        errors.add(path, node.location(), "unknown placeholder '{" + placeholder + "}'" + hint);
      }
    }
  }

  private void checkIdTemplate(String path, String template, YamlNode node) {
    if (placeholders(template).stream().noneMatch(SpecFormat.FAN_OUT_PLACEHOLDERS::contains)) {
      errors.add(
          path,
          node.location(),
          "must contain {path}, {name} or {stem}, so that every file gets its own task id");
    }
    String sample = PLACEHOLDER.matcher(template).replaceAll("x");
    if (!SpecFormat.ID.matcher(sample).matches()) {
      errors.add(
          path,
          node.location(),
          "invalid task id template '" + template + "' (" + SpecFormat.ID_RULE + ")");
    }
  }

  private static List<String> placeholders(String template) {
    List<String> names = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** Checks ids, type-specific fields and commands of agents; returns the agent ids. */
  private Set<String> checkAgents(YamlNode agents) {
    Map<String, Location> ids = new LinkedHashMap<>();
    forEachMapping(
        agents,
        "agents",
        (path, agent) -> {
          agent
              .text("id")
              .ifPresent(
                  id ->
                      checkUnique("agent", id, FieldPath.child(path, "id"), agent.get("id"), ids));
          agent.text("type").ifPresent(type -> checkAgentFields(path, agent, type));
        });
    return ids.keySet();
  }

  private void checkAgentFields(String path, Mapping agent, String type) {
    switch (type) {
      case SpecFormat.COMMAND_AGENT -> {
        rejectFields(path, agent, SIMULATED_AGENT_ONLY, SpecFormat.SIMULATED_AGENT);
        YamlNode command = agent.get("command");
        if (command == null) {
          errors.add(
              path, agent.location(), "missing required field 'command' (command agents need one)");
        } else if (isEmpty(command)) {
          errors.add(FieldPath.child(path, "command"), command.location(), "must not be empty");
        }
      }
      case SpecFormat.SIMULATED_AGENT ->
          rejectFields(path, agent, COMMAND_AGENT_ONLY, SpecFormat.COMMAND_AGENT);
      default -> {
        // An unknown type: RecordBinder reported it.
      }
    }
  }

  private void rejectFields(String path, Mapping agent, List<String> fields, String owningType) {
    for (String field : fields) {
      Entry entry = agent.entry(field);
      if (entry != null) {
        errors.add(
            FieldPath.child(path, field),
            entry.keyLocation(),
            "only " + owningType + " agents take '" + field + "'");
      }
    }
  }

  private void checkImplement(YamlNode implementNode, Set<String> agentIds) {
    if (!(implementNode instanceof Mapping implement)
        || !(implement.get("agents") instanceof Sequence agents)
        || agentIds.isEmpty()) {
      return;
    }
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < agents.items().size(); i++) {
      YamlNode item = agents.items().get(i);
      String path = FieldPath.element("implement.agents", i);
      item.asText()
          .ifPresent(
              id -> {
                if (!agentIds.contains(id)) {
                  String hint = Suggestions.hint(id, agentIds, "defined agents");
                  errors.add(path, item.location(), "unknown agent '" + id + "'" + hint);
                } else if (!listed.add(id)) {
                  errors.add(path, item.location(), "agent '" + id + "' is listed twice");
                }
              });
    }
  }

  private void checkUnique(
      String kind, String id, String path, YamlNode node, Map<String, Location> seen) {
    Location first = seen.putIfAbsent(id, node.location());
    if (first != null) {
      errors.add(
          path,
          node.location(),
          "duplicate " + kind + " id '" + id + "' (first used on line " + first.line() + ")");
    }
  }

  private static boolean isEmpty(YamlNode node) {
    return node == null || node.isNull() || (node instanceof Sequence s && s.items().isEmpty());
  }

  /** Calls {@code action} with the path and value of every mapping in a sequence node. */
  private static void forEachMapping(
      YamlNode node, String path, BiConsumer<String, Mapping> action) {
    if (node instanceof Sequence sequence) {
      for (int i = 0; i < sequence.items().size(); i++) {
        if (sequence.items().get(i) instanceof Mapping mapping) {
          action.accept(FieldPath.element(path, i), mapping);
        }
      }
    }
  }
}
