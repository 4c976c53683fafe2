package dev.converge.transforms.constraints;

import static dev.converge.transforms.testing.CandidateFixtures.noChange;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class CheckConstraintsTest {
  private static final Task T1 =
      new Task("t1", "repo", "/nonexistent", "0".repeat(40), "fix a", List.of("a.py"), "", "true", 30);
  private static final Task T2 =
      new Task("t2", "repo", "/nonexistent", "0".repeat(40), "fix b", List.of("b.py"), "", "true", 30);

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  /** A patch that changes {@code file} by {@code lines} added lines, the first being {@code first}. */
  private static String patch(String file, String first, int lines) {
    StringBuilder p =
        new StringBuilder("diff --git a/" + file + " b/" + file + "\n--- a/" + file + "\n+++ b/" + file + "\n")
            .append("@@ -1 +1,").append(lines + 1).append(" @@\n context\n+").append(first).append('\n');
    for (int i = 1; i < lines; i++) {
      p.append("+line ").append(i).append('\n');
    }
    return p.toString();
  }

  @Test
  void violatingCandidatesCarryTheRuleAndLocationOthersPassUnchecked() {
    Constraints rules = new Constraints(null, null, null, null, List.of("breakpoint\\(\\)"), null, null, null, 0, null, 3.0);
    List<KV<Task, Candidate>> input =
        List.of(
            KV.of(T1, produced("t1", "a", 0, patch("a.py", "x = 1", 2))),
            KV.of(T1, produced("t1", "b", 0, patch("a.py", "breakpoint()", 2))),
            KV.of(T1, produced("t1", "c", 0, patch("other.py", "y = 2", 2))),
            KV.of(T1, produced("t1", "d", 0, patch("a.py", "z = 3", 20))),
            KV.of(T1, noChange("t1", "e", 0)),
            KV.of(T2, produced("t2", "a", 0, patch("b.py", "ok = True", 1))));
    PCollection<KV<Task, Candidate>> checked =
        pipeline
            .apply(Create.of(input).withCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class))))
            .apply(CheckConstraints.with(rules));

    PAssert.that(checked)
        .satisfies(
            elements -> {
              Map<String, Candidate> byLabel = new TreeMap<>();
              elements.forEach(kv -> byLabel.put(kv.getKey().id() + "/" + kv.getValue().label(), kv.getValue()));
              assertEquals(6, byLabel.size());
              assertEquals(List.of(), byLabel.get("t1/a#0").violations());
              assertEquals(
                  List.of(new Violation(
                      "constraints.forbiddenPatterns[0]", "a.py:2",
                      "added line matches the forbidden pattern 'breakpoint\\(\\)': breakpoint()")),
                  byLabel.get("t1/b#0").violations());
              assertEquals("drift.maxFilesOutsideScope", byLabel.get("t1/c#0").violations().get(0).rule());
              assertEquals("other.py", byLabel.get("t1/c#0").violations().get(0).location());
              assertEquals(List.of("other.py"), byLabel.get("t1/c#0").drift().filesOutsideScope());
              // Sizes 2, 2, 2, 20: the median is 2, so d is 10 times the usual size.
              Violation size = byLabel.get("t1/d#0").violations().get(0);
              assertEquals("drift.maxSizeRatio", size.rule());
              assertEquals(10.0, byLabel.get("t1/d#0").drift().sizeRatio());
              assertEquals(2.0, byLabel.get("t1/d#0").drift().medianChangedLines());
              assertNull(byLabel.get("t1/e#0").drift());
              assertEquals(List.of(), byLabel.get("t1/e#0").violations());
              // Another task's candidates have their own median.
              assertEquals(1.0, byLabel.get("t2/a#0").drift().sizeRatio());
              assertTrue(byLabel.get("t2/a#0").violations().isEmpty());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void checkTaskKeepsEveryCandidate() {
    List<KV<Task, Candidate>> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      input.add(KV.of(T1, produced("t1", "a", i, patch("a.py", "v" + i, 1))));
    }
    assertEquals(5, CheckConstraints.checkTask(Constraints.NONE, input).size());
  }
}
