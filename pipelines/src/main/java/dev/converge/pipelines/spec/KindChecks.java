package dev.converge.pipelines.spec;

import dev.converge.pipelines.spec.YamlNode.Entry;
import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules that depend on the job's {@code kind}: the fields each kind requires, the fields only
 * one kind takes (an error, with its line, on the other kind), and the cross-field rules of review
 * jobs (unique rule ids, reviewers and verifier that name defined command agents, a quorum no
 * larger than the reviewers, a chunk overlap smaller than the chunk), and the planner of change
 * jobs ({@code plan.agent} names a defined agent that answers in text). Like {@link SpecChecks}, they
 * read the YAML tree and skip nodes of the wrong shape; nothing is checked by kind when the kind is
 * missing or unknown (already reported).
 */
final class KindChecks {
  private static final List<String> REVIEW_AGENTS = List.of(SpecFormat.COMMAND_AGENT);
  private static final String REVIEW_AGENTS_WHY = "review jobs run command agents only";

  private final SpecErrors errors;

  private KindChecks(SpecErrors errors) {
    this.errors = errors;
  }

  static void check(Mapping root, SpecErrors errors) {
    Optional<String> kind = root.text("kind");
    if (kind.isEmpty() || !SpecFormat.KIND_REQUIRED_FIELDS.containsKey(kind.get())) {
      return;
    }
    KindChecks checks = new KindChecks(errors);
    checks.checkKindFields(root, kind.get());
    if (kind.get().equals(SpecFormat.REVIEW_KIND)) {
      checks.checkReview(root);
    } else {
      checks.checkChange(root);
    }
  }

  /** Fields of {@code verify} that only change jobs take, and the one only review jobs take. */
  private static final List<String> CHANGE_VERIFY_FIELDS = List.of("repair", "rounds", "finalAgent", "confirmRepairs", "repairSamples");

  private static final String REVIEW_VERIFY_FIELD = "onError";

  /**
   * The verify loop of change jobs: its agents are defined (of any type), {@code rounds} comes
   * with a {@code repair} agent, and the {@code best-of} vote has a verifier to score with.
   */
  private void checkChange(Mapping root) {
    Map<String, String> agentTypes = agentTypes(root.get("agents"));
    if (root.get("plan") instanceof Mapping plan) {
      checkAgentReference(
          "plan.agent", plan.get("agent"), agentTypes, SpecFormat.PLANNER_AGENTS,
          "a planner must answer with a JSON plan");
    }
    Mapping verify = root.get("verify") instanceof Mapping mapping ? mapping : null;
    if (verify != null) {
      for (String field : List.of("agent", "repair", "finalAgent")) {
        checkAgentReference("verify." + field, verify.get(field), agentTypes, SpecFormat.AGENT_TYPES, "");
      }
      Entry onError = verify.entry(REVIEW_VERIFY_FIELD);
      if (onError != null) {
        errors.add("verify." + REVIEW_VERIFY_FIELD, onError.keyLocation(), "only review jobs take 'onError'; this is a change job");
      }
      for (String field : List.of("rounds", "confirmRepairs", "repairSamples")) {
        Entry entry = verify.entry(field);
        if (entry != null && verify.entry("repair") == null) {
          errors.add("verify." + field, entry.keyLocation(), "needs 'repair': the agent that repairs rejected patches");
        }
      }
    }
    if (root.get("vote") instanceof Mapping vote
        && vote.text("strategy").filter("best-of"::equals).isPresent()
        && verify == null) {
      errors.add(
          "vote.strategy",
          vote.get("strategy").location(),
          "'best-of' needs a 'verify' section: the verifier's scores pick the winner");
    }
  }

  private void checkKindFields(Mapping root, String kind) {
    for (String field : SpecFormat.KIND_REQUIRED_FIELDS.get(kind)) {
      Entry entry = root.entry(field);
      if (entry == null || entry.value().isNull()) {
        errors.add(
            "",
            entry == null ? root.location() : entry.keyLocation(),
            "missing required field '" + field + "' (" + kind + " jobs need one)");
      }
    }
    for (Map.Entry<String, List<String>> only : SpecFormat.KIND_ONLY_FIELDS.entrySet()) {
      if (only.getKey().equals(kind)) {
        continue;
      }
      for (String field : only.getValue()) {
        Entry entry = root.entry(field);
        if (entry != null) {
          errors.add(
              field,
              entry.keyLocation(),
              "only " + only.getKey() + " jobs take '" + field + "'; this is a " + kind + " job");
        }
      }
    }
  }

  private void checkReview(Mapping root) {
    if (root.get("targets") instanceof Sequence targets) {
      for (int i = 0; i < targets.items().size(); i++) {
        if (targets.items().get(i) instanceof Mapping target && target.entry("test") != null) {
          errors.add(
              FieldPath.child(FieldPath.element("targets", i), "test"),
              target.entry("test").keyLocation(),
              "only change jobs take 'test'; this is a review job");
        }
      }
    }
    checkRuleIds(root.get("rules"));
    Map<String, String> agentTypes = agentTypes(root.get("agents"));
    int reviewers = checkReviewers(root.get("reviewers"), agentTypes);
    if (root.get("verify") instanceof Mapping verify) {
      checkAgentReference("verify.agent", verify.get("agent"), agentTypes, REVIEW_AGENTS, REVIEW_AGENTS_WHY);
      for (String field : CHANGE_VERIFY_FIELDS) {
        Entry entry = verify.entry(field);
        if (entry != null) {
          errors.add("verify." + field, entry.keyLocation(), "only change jobs take '" + field + "'; this is a review job");
        }
      }
    }
    if (root.get("consensus") instanceof Mapping consensus
        && consensus.get("quorum") instanceof YamlNode.Scalar quorum
        && quorum.number() != null
        && reviewers > 0
        && quorum.number().doubleValue() > reviewers) {
      errors.add(
          "consensus.quorum",
          quorum.location(),
          "is " + quorum.text() + " but there are only " + reviewers + " reviewers (the quorum counts distinct reviewers)");
    }
    if (root.get("chunking") instanceof Mapping chunking) {
      int lines = intValue(chunking.get("lines")).orElse(200);
      Optional<Integer> overlap = intValue(chunking.get("overlap"));
      if (overlap.isPresent() && overlap.get() >= lines) {
        errors.add(
            "chunking.overlap",
            chunking.get("overlap").location(),
            "must be less than chunking.lines (" + lines + ")");
      }
    }
  }

  private void checkRuleIds(YamlNode rules) {
    if (!(rules instanceof Sequence sequence)) {
      return;
    }
    Map<String, Location> seen = new LinkedHashMap<>();
    for (int i = 0; i < sequence.items().size(); i++) {
      if (!(sequence.items().get(i) instanceof Mapping rule)) {
        continue;
      }
      YamlNode id = rule.get("id");
      String path = FieldPath.child(FieldPath.element("rules", i), "id");
      rule.text("id")
          .ifPresent(
              text -> {
                Location first = seen.putIfAbsent(text, id.location());
                if (first != null) {
                  errors.add(path, id.location(), "duplicate rule id '" + text + "' (first used on line " + first.line() + ")");
                }
              });
    }
  }

  /** Checks the reviewers; returns how many distinct agents they name. */
  private int checkReviewers(YamlNode reviewers, Map<String, String> agentTypes) {
    if (!(reviewers instanceof Sequence sequence)) {
      return 0;
    }
    Map<String, Integer> listed = new HashMap<>();
    for (int i = 0; i < sequence.items().size(); i++) {
      if (!(sequence.items().get(i) instanceof Mapping reviewer)) {
        continue;
      }
      String path = FieldPath.child(FieldPath.element("reviewers", i), "agent");
      YamlNode agent = reviewer.get("agent");
      checkAgentReference(path, agent, agentTypes, REVIEW_AGENTS, REVIEW_AGENTS_WHY);
      int index = i;
      reviewer.text("agent")
          .ifPresent(
              id -> {
                Integer first = listed.putIfAbsent(id, index);
                if (first != null) {
                  errors.add(
                      path,
                      agent.location(),
                      "agent '" + id + "' is already a reviewer (reviewers[" + first + "]); use 'samples' for more reviews by one agent");
                }
              });
    }
    return listed.size();
  }

  /**
   * Checks that {@code node} names a defined agent of one of {@code types}; {@code why} says why
   * other types are refused.
   */
  private void checkAgentReference(
      String path, YamlNode node, Map<String, String> agentTypes, List<String> types, String why) {
    if (node == null || agentTypes.isEmpty()) {
      return;
    }
    node.asText()
        .ifPresent(
            id -> {
              String type = agentTypes.get(id);
              if (type == null) {
                errors.add(path, node.location(), "unknown agent '" + id + "'" + Suggestions.hint(id, agentTypes.keySet(), "defined agents"));
              } else if (!type.isEmpty() && !types.contains(type)) {
                errors.add(path, node.location(), "agent '" + id + "' has type '" + type + "'; " + why);
              }
            });
  }

  private static Map<String, String> agentTypes(YamlNode agents) {
    Map<String, String> types = new LinkedHashMap<>();
    if (agents instanceof Sequence sequence) {
      for (YamlNode item : sequence.items()) {
        if (item instanceof Mapping agent) {
          agent.text("id").ifPresent(id -> types.putIfAbsent(id, agent.text("type").orElse("")));
        }
      }
    }
    return types;
  }

  private static Optional<Integer> intValue(YamlNode node) {
    return node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.ScalarKind.INTEGER
        ? Optional.of(scalar.number().intValue())
        : Optional.empty();
  }
}
