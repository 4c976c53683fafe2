package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verify section of change jobs: its fields, its references and the rules between them. */
class VerifyLoopSpecTest {
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
        - {id: coder, type: command, command: [run]}
        - {id: critic, type: simulated}
        - {id: fixer, type: command, command: [fix]}
      test:
        command: make test
      """;

  @Test
  void aFullVerifyLoopParses() throws Exception {
    Spec spec =
        SpecParser.parse(
            CHANGE + "verify: {agent: critic, repair: fixer, rounds: 3, finalAgent: critic}\nvote: {strategy: best-of}\n",
            "ok.yaml");
    assertEquals(new VerifySpec("critic", null, "fixer", 3, "critic"), spec.verify());
    assertEquals("best-of", spec.vote().strategy());
  }

  @Test
  void unknownAgentsAreReportedWithTheirLines() {
    assertEquals(
        List.of(
            "verify.agent: unknown agent 'critc' (did you mean 'critic'?) (line 14, col 17)",
            "verify.repair: unknown agent 'nobody' (defined agents: coder, critic, fixer) (line 14, col 32)"),
        SpecParserErrorsTest.errors(CHANGE + "verify: {agent: critc, repair: nobody}\n"));
  }

  @Test
  void roundsNeedARepairAgentAndOnErrorIsForReviewJobs() {
    assertEquals(
        List.of(
            "verify.rounds: needs 'repair': the agent that repairs rejected patches (line 14, col 25)",
            "verify.rounds: must be between 1 and 10 (line 14, col 33)",
            "verify.onError: only review jobs take 'onError'; this is a change job (line 14, col 37)"),
        SpecParserErrorsTest.errors(CHANGE + "verify: {agent: critic, rounds: 11, onError: drop}\n"));
  }

  @Test
  void bestOfNeedsAVerifier() {
    assertEquals(
        List.of("vote.strategy: 'best-of' needs a 'verify' section: the verifier's scores pick the winner (line 14, col 18)"),
        SpecParserErrorsTest.errors(CHANGE + "vote: {strategy: best-of}\n"));
  }

  @Test
  void reviewJobsRefuseTheRepairFields() {
    String review =
        """
        name: r
        kind: review
        targets:
          - path: repo
        rules:
          - {id: r1, title: no secrets}
        agents:
          - {id: a, type: command, command: [review]}
          - {id: v, type: command, command: [verify]}
        reviewers:
          - {agent: a}
        verify: {agent: v, repair: a}
        """;
    assertEquals(
        List.of("verify.repair: only change jobs take 'repair'; this is a review job (line 12, col 20)"),
        SpecParserErrorsTest.errors(review));
  }
}
