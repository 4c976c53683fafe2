package dev.converge.transforms.sampling;

import static dev.converge.transforms.testing.CandidateFixtures.agentFailed;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.TestStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When adaptive sampling stops: agreeing passing candidates and their lead. */
class StoppingRuleTest {
  private static final StoppingRule RULE = new StoppingRule(3, 2);

  private static List<Candidate> answers(String... patches) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < patches.length; i++) {
      String patch = patches[i];
      candidates.add(
          patch.equals("crash")
              ? agentFailed("t", "a", i, "exited with code 1")
              : tested(produced("t", "a", i, patch + "\n"), patch.startsWith("fail") ? TestStatus.FAILED : TestStatus.PASSED));
    }
    return candidates;
  }

  @Test
  void aUnanimousFirstWaveDecides() {
    assertTrue(RULE.decided(answers("x", "x", "x")));
  }

  @Test
  void tooFewAgreeingOrTooSmallALeadKeepsSampling() {
    assertFalse(RULE.decided(answers("x", "x")), "only two agree");
    assertFalse(RULE.decided(answers("x", "x", "x", "y", "y")), "a lead of one");
    assertFalse(RULE.decided(answers("x", "y", "z")), "a three-way split");
    assertTrue(RULE.decided(answers("x", "x", "x", "y")), "three agree with a lead of two");
  }

  @Test
  void failingAndCrashedCandidatesNeitherVoteNorDecide() {
    assertFalse(RULE.decided(answers("fail-a", "fail-a", "fail-a", "crash")));
    assertTrue(RULE.decided(answers("x", "fail-a", "x", "crash", "x")), "failures are not runners-up");
  }

  @Test
  void theRuleNeedsPositiveThresholds() {
    assertThrows(IllegalArgumentException.class, () -> new StoppingRule(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new StoppingRule(1, 0));
  }
}
