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
    AgentChecks.checkPrices(root, errors);
    checks.checkImplement(root.get("implement"), agentIds);
    checks.checkMerge(root.get("merge"), agentIds);
    checks.checkVote(root.get("vote"));
    SpecDrivenChecks.check(root, errors);
    KindChecks.check(root, errors);
  }

  /**
   * Checks that each target says where its repositories are, and that target ids, given or
   * derived from the path or URL, are unique. Returns the ids, or none when a {@code list} or
   * {@code glob} target leaves some ids unknown until the targets are resolved.
   */
  private Set<String> checkTargets(YamlNode targets) {
    Map<String, Location> ids = new LinkedHashMap<>();
    Set<Boolean> expanding = new HashSet<>();
    forEachMapping(
        targets,
        "targets",
        (path, target) -> {
          expanding.add(checkTargetSource(path, target));
          checkTargetId(path, target, ids);
        });
    return expanding.contains(true) ? Set.of() : ids.keySet();
  }

  /** Checks that a target has exactly one source; returns whether it names many repositories. */
  private boolean checkTargetSource(String path, Mapping target) {
    List<String> present =
        SpecFormat.TARGET_SOURCES.stream()
            .filter(field -> target.get(field) != null && !target.get(field).isNull())
            .toList();
    if (present.isEmpty()) {
      errors.add(path, target.location(), "needs one of 'path', 'url', 'list' or 'glob'");
    }
    for (String extra : present.subList(Math.min(1, present.size()), present.size())) {
      errors.add(
          FieldPath.child(path, extra),
          target.entry(extra).keyLocation(),
          "cannot be used together with '" + present.get(0)
              + "' (a target has exactly one of 'path', 'url', 'list' and 'glob')");
    }
    boolean expanding = present.contains("list") || present.contains("glob");
    Entry id = target.entry("id");
    if (expanding && id != null && !id.value().isNull()) {
      errors.add(
          FieldPath.child(path, "id"),
          id.keyLocation(),
          "a '" + (present.contains("list") ? "list" : "glob")
              + "' target names many repositories, each after its folder, and takes no 'id'");
    }
    return expanding;
  }

  private void checkTargetId(String path, Mapping target, Map<String, Location> ids) {
    YamlNode id = target.get("id");
    if (id != null && !id.isNull()) {
      id.asText()
          .ifPresent(text -> checkUnique("target", text, FieldPath.child(path, "id"), id, ids));
      return;
    }
    for (String source : List.of("path", "url")) {
      Optional<String> value = target.text(source);
      if (value.isEmpty()) {
        continue;
      }
      String sourceField = FieldPath.child(path, source);
      YamlNode sourceNode = target.get(source);
      Optional<String> derived =
          source.equals("path")
              ? SpecFormat.defaultTargetId(value.get())
              : SpecFormat.defaultTargetIdOfUrl(value.get());
      if (derived.isPresent()) {
        checkUnique("target", derived.get(), sourceField, sourceNode, ids);
      } else {
        String message =
            "cannot derive a target id from " + source + " '" + value.get() + "'; add an 'id'";
        errors.add(sourceField, sourceNode.location(), message);
      }
      return;
    }
  }

  /** Checks that the resolver is a defined agent. */
  private void checkMerge(YamlNode mergeNode, Set<String> agentIds) {
    if (!(mergeNode instanceof Mapping merge) || agentIds.isEmpty()) {
      return;
    }
    merge
        .text("resolver")
        .filter(id -> !agentIds.contains(id))
        .ifPresent(
            id ->
                errors.add(
                    "merge.resolver",
                    merge.get("resolver").location(),
                    "unknown agent '" + id + "'" + Suggestions.hint(id, agentIds, "defined agents")));
  }

  /** Checks that {@code quorum} is given exactly when the strategy is {@code quorum}. */
  private void checkVote(YamlNode voteNode) {
    if (!(voteNode instanceof Mapping vote)) {
      return;
    }
    boolean isQuorum = vote.text("strategy").filter("quorum"::equals).isPresent();
    YamlNode quorum = vote.get("quorum");
    if (isQuorum && (quorum == null || quorum.isNull())) {
      errors.add("vote", vote.location(), "strategy 'quorum' needs 'quorum: N'");
    } else if (!isQuorum && quorum != null && !quorum.isNull()) {
      errors.add("vote.quorum", quorum.location(), "only strategy 'quorum' takes 'quorum'");
    }
  }

  private void checkPlan(YamlNode planNode, Set<String> targetIds) {
    if (!(planNode instanceof Mapping plan)) {
      return;
    }
    // With a planner agent, the static lists may be empty: the agent makes the tasks.
    if (isEmpty(plan.get("tasks")) && isEmpty(plan.get("forEachFile")) && isEmpty(plan.get("agent"))) {
      errors.add(
          "plan", plan.location(), "needs at least one entry in 'tasks' or 'forEachFile', or an 'agent' that plans them");
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
    AgentChecks.checkFields(path, agent, type, errors);
  }

  private void checkImplement(YamlNode implementNode, Set<String> agentIds) {
    if (!(implementNode instanceof Mapping implement)) {
      return;
    }
    checkAgentList(implement.get("agents"), "implement.agents", agentIds);
    checkAgentList(implement.get("cascade"), "implement.cascade", agentIds);
    if (implement.entry("cascade") != null && implement.entry("agents") != null) {
      errors.add(
          "implement.cascade",
          implement.entry("cascade").keyLocation(),
          "takes the place of 'agents': the cascade's agents implement the tasks, one tier after another");
    }
    boolean adaptive = implement.text("sampling").filter("adaptive"::equals).isPresent();
    if (adaptive && implement.entry("samples") != null) {
      errors.add(
          "implement.samples",
          implement.entry("samples").keyLocation(),
          "adaptive sampling decides the samples; set adaptive.minSamples and adaptive.maxSamples instead");
    }
    if (!adaptive && implement.entry("adaptive") != null) {
      errors.add(
          "implement.adaptive",
          implement.entry("adaptive").keyLocation(),
          "only 'sampling: adaptive' takes 'adaptive'");
    }
    if (implement.get("adaptive") instanceof Mapping bounds
        && bounds.get("minSamples") instanceof YamlNode.Scalar min
        && bounds.get("maxSamples") instanceof YamlNode.Scalar max
        && min.number() != null
        && max.number() != null
        && min.number().intValue() > max.number().intValue()) {
      errors.add("implement.adaptive.maxSamples", max.location(), "must be at least minSamples (" + min.text() + ")");
    }
  }

  /** Checks that a list of agent ids names defined agents, each once. */
  private void checkAgentList(YamlNode node, String field, Set<String> agentIds) {
    if (!(node instanceof Sequence agents) || agentIds.isEmpty()) {
      return;
    }
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < agents.items().size(); i++) {
      YamlNode item = agents.items().get(i);
      String path = FieldPath.element(field, i);
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
