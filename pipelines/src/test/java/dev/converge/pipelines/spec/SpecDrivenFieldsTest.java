package dev.converge.pipelines.spec;

import static dev.converge.pipelines.spec.SpecParserErrorsTest.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec-driven fields: context documents, constraints and drift thresholds. */
class SpecDrivenFieldsTest {
  private static final String BASE =
      """
      name: demo
      kind: change
      targets:
        - path: repo
      plan:
        tasks:
          - {id: t1, instructions: do it, files: [a.py]}
      agents:
        - {id: careful, type: command, command: [run]}
      test:
        command: make test
      """;

  @Test
  void parsesContextConstraintsAndDrift() throws Exception {
    Spec spec =
        SpecParser.parse(
            BASE
                + """
                context: [requirements.md, docs/technical-spec.md]
                constraints:
                  allowedPaths: ["src/**", "tests/**"]
                  forbiddenPaths: [setup.py]
                  maxChangedLines: 200
                  maxChangedFiles: 5
                  forbiddenPatterns: ['\\bprint\\(', TODO]
                  requiredPatterns: ['^def test_']
                  requireTestChanges: "tests/**"
                  allowedFileTypes: [py, .md, Makefile]
                drift:
                  maxFilesOutsideScope: 0
                  maxNewFiles: 1
                  maxSizeRatio: 2.5
                """,
            "spec.yaml");
    assertEquals(List.of("requirements.md", "docs/technical-spec.md"), spec.context());
    ConstraintsSpec c = spec.constraints();
    assertEquals(List.of("src/**", "tests/**"), c.allowedPaths());
    assertEquals(List.of("\\bprint\\(", "TODO"), c.forbiddenPatterns());
    assertEquals(200, c.maxChangedLines());
    assertEquals("tests/**", c.requireTestChanges());
    assertEquals(List.of("py", ".md", "Makefile"), c.allowedFileTypes());
    assertEquals(new DriftSpec(0, 1, 2.5), spec.drift());
  }

  @Test
  void everythingIsOptional() throws Exception {
    Spec spec = SpecParser.parse(BASE, "spec.yaml");
    assertEquals(List.of(), spec.context());
    assertNull(spec.constraints());
    assertNull(spec.drift());
  }

  @Test
  void reportsBrokenPatternsGlobsDuplicatesAndRanges() {
    List<String> errors =
        errors(
            BASE
                + """
                context: [requirements.md, requirements.md]
                constraints:
                  forbiddenPatterns: ['print(']
                  allowedPaths: ['src/[a']
                  maxChangedLines: 0
                  requireTestChange: "tests/**"
                drift:
                  maxSizeRatio: 0.5
                """);
    String all = String.join("\n", errors);
    assertTrue(all.contains("context[1]: document 'requirements.md' is already listed (context[0])"), all);
    assertTrue(all.contains("constraints.forbiddenPatterns[0]: not a valid regular expression"), all);
    assertTrue(all.contains("constraints.allowedPaths[0]: not a valid glob"), all);
    assertTrue(all.contains("constraints.maxChangedLines: must be 1 or more"), all);
    assertTrue(all.contains("did you mean 'requireTestChanges'"), all);
    assertTrue(all.contains("drift.maxSizeRatio: must be 1 or more"), all);
  }
}
