package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verify section of change jobs: its fields, its references and the rules between them. */
class VerifyLoopSpecTest {
  /** The shared valid change spec with a second command agent, the repair agent. */
  private static final String CHANGE =
      SpecParserErrorsTest.VALID.replace(
          "  - {id: sim, type: simulated}\n", "  - {id: sim, type: simulated}\n  - {id: fixer, type: command, command: [fix]}\n");

  @Test
  void aFullVerifyLoopParses() throws Exception {
    Spec spec =
        SpecParser.parse(
            CHANGE + "verify: {agent: sim, repair: fixer, rounds: 3, finalAgent: sim, confirmRepairs: 2, repairSamples: 3}\nvote: {strategy: best-of}\n",
            "ok.yaml");
    assertEquals(new VerifySpec("sim", null, "fixer", 3, "sim", 2, 3), spec.verify());
    assertEquals("best-of", spec.vote().strategy());
  }

  @Test
  void unknownAgentsAreReportedWithTheirLines() {
    assertEquals(
        List.of(
            "verify.agent: unknown agent 'simm' (did you mean 'sim'?) (line 14, col 17)",
            "verify.repair: unknown agent 'nobody' (defined agents: careful, sim, fixer) (line 14, col 31)"),
        SpecParserErrorsTest.errors(CHANGE + "verify: {agent: simm, repair: nobody}\n"));
  }

  @Test
  void roundsNeedARepairAgentAndOnErrorIsForReviewJobs() {
    assertEquals(
        List.of(
            "verify.rounds: needs 'repair': the agent that repairs rejected patches (line 14, col 22)",
            "verify.rounds: must be between 1 and 10 (line 14, col 30)",
            "verify.onError: only review jobs take 'onError'; this is a change job (line 14, col 34)"),
        SpecParserErrorsTest.errors(CHANGE + "verify: {agent: sim, rounds: 11, onError: drop}\n"));
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
