package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiffExtractorTest {
  private static final String DIFF = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n";

  @Test
  void takesTheDiffBlock() {
    assertEquals(Optional.of(DIFF), DiffExtractor.extract("Sure.\n\n```diff\n" + DIFF + "```\nDone."));
  }

  @Test
  void joinsSeveralDiffBlocksAndAcceptsPatchAndTildeFences() {
    String other = "--- a/y.py\n+++ b/y.py\n@@ -1 +1 @@\n-c\n+d\n";
    assertEquals(
        Optional.of(DIFF + other),
        DiffExtractor.extract("```diff\n" + DIFF + "```\ntext\n~~~patch\n" + other + "~~~\n"));
  }

  @Test
  void ignoresOtherCodeBlocks() {
    assertEquals(
        Optional.of(DIFF),
        DiffExtractor.extract("```python\nprint('x')\n```\n```diff\n" + DIFF + "```"));
  }

  @Test
  void aLongerFenceMayHoldTripleBackticks() {
    String markdown = "--- a/README.md\n+++ b/README.md\n@@ -1,3 +1,3 @@\n ```\n-old\n+new\n ```\n";
    assertEquals(Optional.of(markdown), DiffExtractor.extract("````diff\n" + markdown + "````\n"));
  }

  @Test
  void takesAnUnfencedDiff() {
    assertEquals(Optional.of(DIFF), DiffExtractor.extract("Here it is:\n" + DIFF));
    assertEquals(
        Optional.of("diff --git a/x b/x\n" + DIFF),
        DiffExtractor.extract("diff --git a/x b/x\n" + DIFF.strip()));
    assertEquals(Optional.of(DIFF), DiffExtractor.extract("```\n" + DIFF + "```"));
  }

  @Test
  void anEmptyDiffBlockIsNoChangeAndProseIsNoDiff() {
    assertEquals(Optional.of(""), DiffExtractor.extract("No change needed.\n```diff\n```"));
    assertEquals(Optional.empty(), DiffExtractor.extract("I changed x.py to return b."));
    assertEquals(Optional.empty(), DiffExtractor.extract("```python\nreturn b\n```"));
  }

  @Test
  void anUnclosedBlockRunsToTheEnd() {
    assertTrue(DiffExtractor.extract("```diff\n" + DIFF).orElseThrow().contains("+b"));
  }
}
