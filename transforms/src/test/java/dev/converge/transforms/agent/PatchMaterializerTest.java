package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.workspace.PatchMaterializer;
import dev.converge.transforms.workspace.Worktrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model diffs applied without a checkout give the same patch a command agent's edit gives. */
class PatchMaterializerTest {
  @TempDir Path tmp;
  private Path repo;
  private String base;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("a.txt", "one\ntwo\nthree\n", "src/b.py", "x = 1\n", "gone.txt", "bye\n"));
  }

  @Test
  void theCanonicalPatchIsByteForByteWhatAWorktreeDiffGives() throws Exception {
    // What a command agent would leave: an edit, a new file and a deletion.
    Path worktree = Worktrees.checkout(repo.toString(), base, tmp.resolve("work"), "cmd");
    Files.writeString(worktree.resolve("a.txt"), "one\n2\nthree\n");
    Files.createDirectories(worktree.resolve("docs"));
    Files.writeString(worktree.resolve("docs/new.md"), "# New\n");
    Files.delete(worktree.resolve("gone.txt"));
    String expected = Worktrees.diff(worktree, base);
    Worktrees.delete(worktree);

    // The same change as a model might write it: bare paths, wrong hunk counts, no index lines.
    String model =
        "--- a.txt\n+++ a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"
            + "--- /dev/null\n+++ docs/new.md\n@@ -0,0 +1,5 @@\n+# New\n"
            + "--- gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n";
    PatchMaterializer.Result result = PatchMaterializer.apply(repo.toString(), base, model, tmp.resolve("scratch"));

    assertTrue(result.applied(), result.error());
    assertEquals(expected, result.patch());
    assertEquals(Worktrees.patchHash(expected), Worktrees.patchHash(result.patch()));
  }

  @Test
  void aDiffThatDoesNotApplyGivesGitsReasonAndTheRepositoryIsUntouched() throws Exception {
    String objectsBefore = GitRepos.git(repo, "count-objects", "-v");
    PatchMaterializer.Result result =
        PatchMaterializer.apply(
            repo.toString(), base, "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-zero\n+0\n", tmp.resolve("scratch"));
    assertFalse(result.applied());
    assertTrue(result.error().contains("a.txt"), result.error());

    PatchMaterializer.Result applied =
        PatchMaterializer.apply(
            repo.toString(), base, "--- a/src/b.py\n+++ b/src/b.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n", tmp.resolve("scratch"));
    assertTrue(applied.applied(), applied.error());
    assertEquals(objectsBefore, GitRepos.git(repo, "count-objects", "-v"), "no object was written to the user's repository");
    assertEquals("", GitRepos.git(repo, "status", "--porcelain"));
    try (var left = Files.list(tmp.resolve("scratch"))) {
      assertEquals(0, left.count(), "scratch folders are removed");
    }
  }

  @Test
  void pathsOutsideTheRepositoryAreRefused() throws Exception {
    PatchMaterializer.Result result =
        PatchMaterializer.apply(
            repo.toString(), base, "--- /dev/null\n+++ b/../evil.txt\n@@ -0,0 +1 @@\n+x\n", tmp.resolve("scratch"));
    assertFalse(result.applied());
    assertFalse(Files.exists(tmp.resolve("evil.txt")));
  }
}
