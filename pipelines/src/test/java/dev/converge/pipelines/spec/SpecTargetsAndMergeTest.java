package dev.converge.pipelines.spec;

import static dev.converge.pipelines.spec.SpecParserErrorsTest.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The target sources (path, url, list, glob), per-target overrides, the merge section and the
 * planner agent.
 */
class SpecTargetsAndMergeTest {

  private static String spec(String targets, String extra) {
    return "name: demo\nkind: change\ntargets:\n"
        + targets
        + "plan:\n  tasks:\n    - {id: t1, instructions: do it}\n"
        + "agents:\n  - {id: careful, type: command, command: [run]}\n"
        + "  - {id: fixer, type: command, command: [fix]}\n"
        + "test:\n  command: make test\n"
        + extra;
  }

  @Test
  void parsesEveryKindOfTargetWithOverridesAndAResolver() throws Exception {
    Spec parsed =
        SpecParser.parse(
            spec(
                "  - {path: repos/one, test: make check, paths: ['src/**']}\n"
                    + "  - {url: 'https://example.com/org/two.git', ref: main}\n"
                    + "  - {list: repos.txt}\n"
                    + "  - {glob: 'many/*'}\n",
                "merge:\n  resolver: fixer\n"),
            "spec.yaml");
    assertEquals(
        List.of(
            new TargetSpec("one", "repos/one", null, null, null, null, "make check", List.of("src/**")),
            new TargetSpec("two", null, "https://example.com/org/two.git", null, null, "main", null, null),
            new TargetSpec(null, null, null, "repos.txt", null, null, null, null),
            new TargetSpec(null, null, null, null, "many/*", null, null, null)),
        parsed.targets());
    assertEquals(new MergeSpec("fixer"), parsed.merge());
  }

  @Test
  void aTargetNeedsExactlyOneSource() {
    assertEquals(
        List.of(
            "targets[0]: needs one of 'path', 'url', 'list' or 'glob' (line 4, col 5)",
            "targets[1].glob: cannot be used together with 'path' (a target has exactly one of"
                + " 'path', 'url', 'list' and 'glob') (line 5, col 18)"),
        errors(spec("  - {ref: main}\n  - {path: repo, glob: 'x/*'}\n", "")));
  }

  @Test
  void listAndGlobTargetsTakeNoId() {
    assertEquals(
        List.of(
            "targets[0].id: a 'glob' target names many repositories, each after its folder, and"
                + " takes no 'id' (line 4, col 19)"),
        errors(spec("  - {glob: 'x/*', id: many}\n", "")));
  }

  @Test
  void urlTargetsAreNamedAfterTheirLastPartAndMustBeUnique() {
    assertEquals(
        List.of(
            "targets[1].url: duplicate target id 'svc' (first used on line 4) (line 5, col 11)",
            "targets[2].url: cannot derive a target id from url 'https://example.com/~me'; add an"
                + " 'id' (line 6, col 11)"),
        errors(
            spec(
                "  - {url: 'file:///srv/git/svc.git'}\n"
                    + "  - {url: 'https://example.com/svc'}\n"
                    + "  - {url: 'https://example.com/~me'}\n",
                "")));
  }

  @Test
  void theResolverMustBeADefinedAgent() {
    assertEquals(
        List.of("merge.resolver: unknown agent 'fixr' (did you mean 'fixer'?) (line 14, col 13)"),
        errors(spec("  - path: repo\n", "merge:\n  resolver: fixr\n")));
  }

  /** A spec whose plan is {@code plan} (YAML lines under {@code plan:}) and whose agents include a simulated one. */
  private static String planned(String plan) {
    return spec("  - path: repo\n", "")
        .replace("  tasks:\n    - {id: t1, instructions: do it}\n", plan)
        .replace("agents:\n", "agents:\n  - {id: sim, type: simulated}\n");
  }

  @Test
  void aPlannerAgentMayBeTheWholePlan() throws Exception {
    Spec parsed = SpecParser.parse(planned("  agent: fixer\n"), "spec.yaml");
    assertEquals(new PlanSpec(List.of(), List.of(), "fixer"), parsed.plan());
  }

  @Test
  void aPlanWithoutTasksFanOutsOrAgentIsRefused() {
    assertEquals(
        List.of(
            "plan: needs at least one entry in 'tasks' or 'forEachFile', or an 'agent' that plans them (line 6, col 3)"),
        errors(planned("  tasks: []\n")));
  }

  @Test
  void thePlannerMustBeADefinedAgentThatAnswersInText() {
    assertEquals(
        List.of("plan.agent: unknown agent 'fixr' (did you mean 'fixer'?) (line 6, col 10)"),
        errors(planned("  agent: fixr\n")));
    assertEquals(
        List.of(
            "plan.agent: agent 'sim' has type 'simulated'; a planner must answer with a JSON plan (line 6, col 10)"),
        errors(planned("  agent: sim\n")));
  }

  @Test
  void taskTargetsAreCheckedAtPlanTimeWhenAGlobHidesTheIds() throws Exception {
    // With a glob target the ids are unknown until planning, so the parser accepts any target.
    String yaml =
        spec("  - glob: 'repos/*'\n", "")
            .replace("{id: t1, instructions: do it}", "{id: t1, instructions: do it, target: svc}");
    assertEquals("svc", SpecParser.parse(yaml, "spec.yaml").plan().tasks().get(0).target());
  }
}
