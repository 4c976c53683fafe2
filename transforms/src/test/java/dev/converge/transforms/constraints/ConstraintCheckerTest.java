package dev.converge.transforms.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Drift;
import dev.converge.transforms.model.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of constraint rejects a violating patch, naming the rule and the place. */
class ConstraintCheckerTest {
  /** Changes src/app.py (line 3 added) and adds tests/test_app.py and docs/notes.txt. */
  private static final String PATCH =
      "diff --git a/src/app.py b/src/app.py\n"
          + "--- a/src/app.py\n"
          + "+++ b/src/app.py\n"
          + "@@ -1,3 +1,4 @@\n"
          + " import os\n"
          + " def run():\n"
          + "+    print('debug')  # TODO remove\n"
          + "     return os.getcwd()\n"
          + "diff --git a/tests/test_app.py b/tests/test_app.py\n"
          + "new file mode 100644\n"
          + "--- /dev/null\n"
          + "+++ b/tests/test_app.py\n"
          + "@@ -0,0 +1,2 @@\n"
          + "+def test_run():\n"
          + "+    assert run()\n"
          + "diff --git a/docs/notes.txt b/docs/notes.txt\n"
          + "new file mode 100644\n"
          + "--- /dev/null\n"
          + "+++ b/docs/notes.txt\n"
          + "@@ -0,0 +1 @@\n"
          + "+notes\n";

  private static final List<FileChange> FILES = PatchFiles.parse(PATCH);

  private static Constraints rules(
      List<String> allowed,
      List<String> forbidden,
      Integer maxLines,
      Integer maxFiles,
      List<String> forbiddenPatterns,
      List<String> requiredPatterns,
      String tests,
      List<String> types) {
    return new Constraints(
        allowed, forbidden, maxLines, maxFiles, forbiddenPatterns, requiredPatterns, tests, types, null, null, null);
  }

  private static List<Violation> check(Constraints rules) {
    return ConstraintChecker.check(rules, FILES);
  }

  @Test
  void noRulesNoViolations() {
    assertEquals(List.of(), check(Constraints.NONE));
  }

  @Test
  void allowedPathsRejectEveryPathOutsideThem() {
    List<Violation> v = check(rules(List.of("src/**", "tests/**"), null, null, null, null, null, null, null));
    assertEquals(1, v.size(), v.toString());
    assertEquals("constraints.allowedPaths", v.get(0).rule());
    assertEquals("docs/notes.txt", v.get(0).location());
  }

  @Test
  void forbiddenPathsNameTheGlobThatMatched() {
    List<Violation> v = check(rules(null, List.of("*.md", "docs/**"), null, null, null, null, null, null));
    assertEquals(List.of(new Violation(
        "constraints.forbiddenPaths[1]", "docs/notes.txt", "changes docs/notes.txt, which matches the forbidden path 'docs/**'")), v);
  }

  @Test
  void maxChangedLinesAndFilesCountTheWholePatch() {
    List<Violation> v = check(rules(null, null, 3, 2, null, null, null, null));
    assertEquals(List.of("constraints.maxChangedLines", "constraints.maxChangedFiles"), v.stream().map(Violation::rule).toList());
    assertTrue(v.get(0).message().contains("changes 4 lines"), v.get(0).message());
    assertTrue(v.get(1).message().contains("changes 3 files"), v.get(1).message());
    assertEquals("patch", v.get(0).location());
    assertEquals(List.of(), check(rules(null, null, 4, 3, null, null, null, null)));
  }

  @Test
  void forbiddenPatternsPointAtTheFileAndLine() {
    List<Violation> v = check(rules(null, null, null, null, List.of("\\bprint\\(", "TODO"), null, null, null));
    assertEquals(2, v.size(), v.toString());
    assertEquals("constraints.forbiddenPatterns[0]", v.get(0).rule());
    assertEquals("src/app.py:3", v.get(0).location());
    assertTrue(v.get(0).message().contains("print('debug')"), v.get(0).message());
    assertEquals("constraints.forbiddenPatterns[1]", v.get(1).rule());
    assertEquals("src/app.py:3", v.get(1).location());
  }

  @Test
  void removedLinesNeverMatchForbiddenPatterns() {
    List<FileChange> removal =
        PatchFiles.parse("diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1 @@\n-print(1)\n ok\n");
    assertEquals(List.of(), ConstraintChecker.check(rules(null, null, null, null, List.of("print"), null, null, null), removal));
  }

  @Test
  void requiredPatternsMustBeFoundInSomeAddedLine() {
    List<Violation> v = check(rules(null, null, null, null, null, List.of("def test_", "# License: MIT"), null, null));
    assertEquals(1, v.size(), v.toString());
    assertEquals("constraints.requiredPatterns[1]", v.get(0).rule());
    assertEquals("patch", v.get(0).location());
  }

  @Test
  void testsMustBeAddedOrChanged() {
    assertEquals(List.of(), check(rules(null, null, null, null, null, null, "tests/**", null)));
    List<Violation> v = check(rules(null, null, null, null, null, null, "spec/**/*_spec.rb", null));
    assertEquals(1, v.size());
    assertEquals("constraints.requireTestChanges", v.get(0).rule());
    assertTrue(v.get(0).message().contains("no test file matching 'spec/**/*_spec.rb'"), v.get(0).message());
  }

  @Test
  void deletingATestDoesNotCountAsChangingTests() {
    List<FileChange> deletion =
        PatchFiles.parse(
            "diff --git a/tests/t.py b/tests/t.py\ndeleted file mode 100644\n--- a/tests/t.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n");
    assertEquals(
        "constraints.requireTestChanges",
        ConstraintChecker.check(rules(null, null, null, null, null, null, "tests/**", null), deletion).get(0).rule());
  }

  @Test
  void allowedFileTypesTakeExtensionsWithOrWithoutDotAndFileNames() {
    List<Violation> v = check(rules(null, null, null, null, null, null, null, List.of(".py", "Makefile")));
    assertEquals(1, v.size(), v.toString());
    assertEquals("constraints.allowedFileTypes", v.get(0).rule());
    assertEquals("docs/notes.txt", v.get(0).location());
    assertEquals(List.of(), check(rules(null, null, null, null, null, null, null, List.of("py", "TXT"))));
  }

  @Test
  void globsStartingWithDoubleStarAlsoMatchAtTheTop() {
    List<FileChange> top =
        PatchFiles.parse("diff --git a/setup.py b/setup.py\n--- a/setup.py\n+++ b/setup.py\n@@ -1 +1 @@\n-a\n+b\n");
    assertEquals(List.of(), ConstraintChecker.check(rules(List.of("**/*.py"), null, null, null, null, null, null, null), top));
  }

  @Test
  void manyViolationsOfOneRuleAreCappedAndCounted() {
    StringBuilder patch = new StringBuilder("diff --git a/a.py b/a.py\nnew file mode 100644\n--- /dev/null\n+++ b/a.py\n@@ -0,0 +1,25 @@\n");
    for (int i = 0; i < 25; i++) {
      patch.append("+print(").append(i).append(")\n");
    }
    List<Violation> v =
        ConstraintChecker.check(rules(null, null, null, null, List.of("print"), null, null, null), PatchFiles.parse(patch.toString()));
    assertEquals(ConstraintChecker.MAX_PER_RULE + 1, v.size());
    assertEquals("a.py:1", v.get(0).location());
    assertEquals("15 more violations of this rule", v.get(v.size() - 1).message());
  }

  @Test
  void driftCountsFilesOutsideTheScopeAndUnplannedNewFiles() {
    Drift drift = ConstraintChecker.drift(List.of("src/app.py", "tests/"), FILES, 2.0);
    assertEquals(List.of("docs/notes.txt"), drift.filesOutsideScope());
    assertEquals(List.of("docs/notes.txt"), drift.unplannedNewFiles());
    assertEquals(4, drift.changedLines());
    assertEquals(2.0, drift.sizeRatio());

    Constraints thresholds = new Constraints(null, null, null, null, null, null, null, null, 0, 0, 1.5);
    List<Violation> v = ConstraintChecker.checkDrift(thresholds, List.of("src/app.py", "tests/"), drift);
    assertEquals(
        List.of("drift.maxFilesOutsideScope", "drift.maxNewFiles", "drift.maxSizeRatio"),
        v.stream().map(Violation::rule).toList());
    assertEquals("docs/notes.txt", v.get(0).location());
    assertEquals("patch", v.get(2).location());
    assertTrue(v.get(2).message().contains("2.00 times the median"), v.get(2).message());
  }

  @Test
  void aTaskWithoutFilesHasNoScopeToStrayFrom() {
    Drift drift = ConstraintChecker.drift(List.of(), FILES, 4.0);
    assertTrue(drift.inScope());
    assertEquals(1.0, drift.sizeRatio());
  }

  @Test
  void scopeEntriesMayBeGlobs() {
    assertTrue(ConstraintChecker.inScope(List.of("src/*.py"), "src/app.py"));
    assertTrue(ConstraintChecker.inScope(List.of("./src/app.py"), "src/app.py"));
    assertEquals(false, ConstraintChecker.inScope(List.of("src/*.py"), "src/sub/app.py"));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(0.0, ConstraintChecker.median(List.of()));
    assertEquals(3.0, ConstraintChecker.median(List.of(9, 3, 1)));
    assertEquals(2.5, ConstraintChecker.median(List.of(4, 1, 2, 3)));
  }
}
