package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Review specs ({@code kind: review}) and the fields that belong to one kind only. */
class ReviewSpecTest {
  static final String VALID =
      """
      name: nightly
      kind: review
      targets:
        - path: docs
      rules:
        - {id: secret, title: Hard-coded secret, severity: high, files: ["**/*.py"]}
        - {id: license, title: Copyleft license}
      agents:
        - {id: a, type: command, command: [review-a]}
        - {id: b, type: command, command: [review-b]}
        - {id: v, type: command, command: [verify]}
      reviewers:
        - {agent: a, samples: 2}
        - {agent: b}
      consensus: {quorum: 2, similarity: trigrams, minSimilarity: 0.3, lineTolerance: 1}
      verify: {agent: v, onError: drop}
      chunking: {lines: 100, overlap: 10, rulesPerCall: 3}
      state: gs://bucket/state.json
      """;

  private static final String CHANGE =
      """
      name: demo
      kind: change
      targets:
        - path: repo
      plan:
        tasks:
          - {id: t1, instructions: do it}
      agents:
        - {id: careful, type: command, command: [run]}
        - {id: sim, type: simulated}
      test:
        command: make test
      """;

  private static List<String> errors(String yaml) {
    return SpecParserErrorsTest.errors(yaml);
  }

  @Test
  void parsesAReviewSpec() throws Exception {
    Spec spec = SpecParser.parse(VALID, "review.yaml");

    assertTrue(spec.isReview());
    assertNull(spec.plan());
    assertNull(spec.test());
    assertEquals(List.of("secret", "license"), spec.rules().stream().map(RuleSpec::id).toList());
    assertEquals(List.of("**/*.py"), spec.rules().get(0).files());
    assertEquals(List.of(), spec.rules().get(1).files());
    assertEquals(new ReviewerSpec("a", 2), spec.reviewers().get(0));
    assertEquals(new ConsensusSpec(2, "trigrams", 0.3, 1), spec.consensus());
    assertEquals(new VerifySpec("v", "drop", null, null, null, null, null), spec.verify());
    assertEquals(new ChunkingSpec(100, 10, 3), spec.chunking());
    assertEquals("gs://bucket/state.json", spec.state());
    assertEquals("docs", spec.targets().get(0).id());
  }

  @Test
  void theExampleSpecParses() throws Exception {
    Spec spec = SpecParser.parse(Path.of("..", "specs", "examples", "security-review.yaml"));
    assertTrue(spec.isReview());
    assertEquals(4, spec.rules().size());
    assertEquals(3, spec.reviewers().size());
  }

  @Test
  void eachKindNeedsItsOwnFields() {
    assertEquals(
        List.of(
            "missing required field 'rules' (review jobs need one) (line 1, col 1)",
            "missing required field 'reviewers' (review jobs need one) (line 1, col 1)"),
        errors("name: x\nkind: review\ntargets: [{path: docs}]\nagents: [{id: a, type: command, command: [r]}]\n"));
    assertEquals(
        List.of(
            "missing required field 'plan' (change jobs need one) (line 1, col 1)",
            "missing required field 'test' (change jobs need one) (line 1, col 1)"),
        errors("name: x\nkind: change\ntargets: [{path: repo}]\nagents: [{id: a, type: command, command: [r]}]\n"));
  }

  @Test
  void fieldsOfTheOtherKindAreErrorsWithTheirLine() {
    String change = CHANGE + "rules: [{id: r, title: t}]\nconsensus: {quorum: 2}\nstate: s.json\n";
    assertEquals(
        List.of(
            "rules: only review jobs take 'rules'; this is a change job (line 13, col 1)",
            "consensus: only review jobs take 'consensus'; this is a change job (line 14, col 1)",
            "state: only review jobs take 'state'; this is a change job (line 15, col 1)"),
        errors(change));

    String review =
        VALID.replace("targets:\n  - path: docs\n", "targets:\n  - path: docs\n    test: make check\n")
            + "plan:\n  tasks: [{id: t, instructions: x}]\ntest: {command: make}\nvote: {strategy: majority}\n";
    assertEquals(
        List.of(
            "targets[0].test: only change jobs take 'test'; this is a review job (line 5, col 5)",
            "plan: only change jobs take 'plan'; this is a review job (line 20, col 1)",
            "test: only change jobs take 'test'; this is a review job (line 22, col 1)",
            "vote: only change jobs take 'vote'; this is a review job (line 23, col 1)"),
        errors(review));
  }

  @Test
  void reviewersAndTheVerifierMustBeDefinedCommandAgents() {
    String yaml =
        VALID
            .replace("- {agent: b}", "- {agent: bb}\n  - {agent: a}\n  - {agent: sim}")
            .replace("verify: {agent: v, onError: drop}", "verify: {agent: w}")
            .replace("- {id: v, type: command, command: [verify]}", "- {id: v, type: command, command: [verify]}\n  - {id: sim, type: simulated}");
    assertEquals(
        List.of(
            "reviewers[1].agent: unknown agent 'bb' (did you mean 'b'?) (line 15, col 13)",
            "reviewers[2].agent: agent 'a' is already a reviewer (reviewers[0]); use 'samples' for more reviews by one agent (line 16, col 13)",
            "reviewers[3].agent: agent 'sim' has type 'simulated'; review jobs run command agents only (line 17, col 13)",
            "verify.agent: unknown agent 'w' (did you mean 'a'?) (line 19, col 17)"),
        errors(yaml));
  }

  @Test
  void reviewSettingsAreChecked() {
    String yaml =
        VALID
            .replace("{id: license, title: Copyleft license}", "{id: secret, title: Again, severity: severe}")
            .replace("quorum: 2,", "quorum: 3,")
            .replace("similarity: trigrams", "similarity: cosine")
            .replace("overlap: 10", "overlap: 100")
            .replace("onError: drop", "onError: ignore");
    assertEquals(
        List.of(
            "rules[1].id: duplicate rule id 'secret' (first used on line 6) (line 7, col 10)",
            "rules[1].severity: unknown severity 'severe' (expected one of: critical, high, medium, low) (line 7, col 42)",
            "consensus.quorum: is 3 but there are only 2 reviewers (the quorum counts distinct reviewers) (line 15, col 21)",
            "consensus.similarity: unknown similarity 'cosine' (expected one of: words, trigrams, none) (line 15, col 36)",
            "verify.onError: unknown onError 'ignore' (expected one of: report, drop) (line 16, col 29)",
            "chunking.overlap: must be less than chunking.lines (100) (line 17, col 33)"),
        errors(yaml));
  }
}
