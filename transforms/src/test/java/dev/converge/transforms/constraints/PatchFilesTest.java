package dev.converge.transforms.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.constraints.FileChange.AddedLine;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchFilesTest {
  @TempDir Path dir;

  @Test
  void readsAddedLinesWithTheirNumbersInTheNewFile() {
    String patch =
        "diff --git a/src/a.py b/src/a.py\n"
            + "index 1111111..2222222 100644\n"
            + "--- a/src/a.py\n"
            + "+++ b/src/a.py\n"
            + "@@ -1,4 +1,5 @@\n"
            + " one\n"
            + "-two\n"
            + "+TWO\n"
            + "+two and a half\n"
            + " three\n"
            + " four\n"
            + "@@ -10,2 +11,2 @@ def f():\n"
            + " ten\n"
            + "-eleven\n"
            + "+--- not a header, a line that starts with dashes\n";
    List<FileChange> files = PatchFiles.parse(patch);
    assertEquals(1, files.size());
    FileChange a = files.get(0);
    assertEquals("src/a.py", a.path());
    assertFalse(a.created());
    assertEquals(
        List.of(
            new AddedLine(2, "TWO"),
            new AddedLine(3, "two and a half"),
            new AddedLine(12, "--- not a header, a line that starts with dashes")),
        a.addedLines());
    assertEquals(2, a.removedLines());
    assertEquals(5, a.changedLines());
  }

  @Test
  void readsWhatGitMakesNewDeletedRenamedAndBinaryFiles() {
    String base =
        GitRepos.create(
            dir,
            Map.of(
                "keep.txt", "a\nb\nc\nd\ne\nf\ng\n",
                "gone.txt", "bye\n",
                "old name.txt", "one\ntwo\nthree\nfour\nfive\nsix\n"));
    GitRepos.git(dir, "rm", "--quiet", "gone.txt");
    GitRepos.git(dir, "mv", "old name.txt", "new name.txt");
    GitRepos.git(dir, "commit", "--quiet", "-m", "prepare");
    String head = GitRepos.git(dir, "rev-parse", "HEAD").strip();
    GitRepos.write(dir, Map.of("brand/new.py", "print('hi')\n", "keep.txt", "a\nb\nC\nd\ne\nf\ng\n"));
    GitRepos.git(dir, "add", "--all");
    GitRepos.git(dir, "commit", "--quiet", "-m", "change");
    String patch = GitRepos.git(dir, "diff", "--binary", "--no-color", "-M", base, "HEAD");

    List<FileChange> files = PatchFiles.parse(patch);
    Map<String, FileChange> byPath = new java.util.TreeMap<>();
    files.forEach(f -> byPath.put(f.path(), f));
    assertEquals(
        List.of("brand/new.py", "gone.txt", "keep.txt", "new name.txt"), List.copyOf(byPath.keySet()), patch);
    assertTrue(byPath.get("brand/new.py").created());
    assertEquals(List.of(new AddedLine(1, "print('hi')")), byPath.get("brand/new.py").addedLines());
    assertTrue(byPath.get("gone.txt").deleted());
    assertEquals(1, byPath.get("gone.txt").removedLines());
    assertEquals(List.of(new AddedLine(3, "C")), byPath.get("keep.txt").addedLines());
    FileChange renamed = byPath.get("new name.txt");
    assertTrue(renamed.renamed(), renamed.toString());
    assertEquals(List.of("old name.txt", "new name.txt"), renamed.touchedPaths());
    assertTrue(head.length() == 40);
  }

  @Test
  void unquotesGitsQuotedPaths() {
    assertEquals("a/tést", PatchFiles.unquote("\"a/t\\303\\251st\""));
    assertEquals("a/tab\there", PatchFiles.unquote("\"a/tab\\there\""));
    assertEquals("plain", PatchFiles.unquote("plain"));
  }

  @Test
  void emptyPatchHasNoFiles() {
    assertEquals(List.of(), PatchFiles.parse(""));
    assertEquals(List.of(), PatchFiles.parse(null));
  }
}
