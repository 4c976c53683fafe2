package dev.converge.transforms.workspace;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.testing.Canary;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.testing.ReliabilityLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written hostile patches, as a model, an edited cassette or an old cache entry could hand
 * them to the test gate: each is refused by {@link TestCandidates} before it is applied, with its
 * reason, and the test command (which writes through every link and commits, so a planted hook
 * would run) never runs; the canary folder stays as it was. The same patches offered to {@link
 * PatchMaterializer} as a model's diff never write outside its scratch repository.
 */
class HostilePatchesTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static String newFile(String quotedPaths, String mode, String path, String line) {
    return "diff --git " + quotedPaths + "\nnew file mode " + mode + "\nindex 0000000..1111111\n"
        + "--- /dev/null\n+++ " + path + "\n@@ -0,0 +1 @@\n+" + line + "\n\\ No newline at end of file\n";
  }

  private static String plainFile(String path) {
    return newFile("a/" + path + " b/" + path, "100644", "b/" + path, "x");
  }

  /** Patch name to the patch and a fragment of the reason it must be refused for. */
  private Map<String, String[]> hostilePatches(Path canary, Path repo, String base) {
    String c = canary.toString();
    String hook = "#!/bin/sh\ntouch " + c + "/hook-ran\n";
    Map<String, String[]> patches = new LinkedHashMap<>();
    patches.put("link-to-canary", new String[] {newFile("a/out b/out", "120000", "b/out", c), "symbolic link out"});
    patches.put(
        "link-then-write-through",
        new String[] {newFile("a/out b/out", "120000", "b/out", c) + plainFile("out/pwned.txt"), "symbolic link out"});
    patches.put(
        "relative-link-up", new String[] {newFile("a/d/up b/d/up", "120000", "b/d/up", "../../../.."), "symbolic link d/up"});
    patches.put("link-into-git", new String[] {newFile("a/h b/h", "120000", "b/h", ".git/hooks"), "into .git"});
    patches.put("dotdot-path", new String[] {plainFile("../escaped.txt"), "outside the repository"});
    patches.put("absolute-path", new String[] {plainFile("/" + c + "/abs.txt"), "outside the repository"});
    patches.put("git-hook", new String[] {plainFile(".git/hooks/post-checkout"), "inside .git"});
    patches.put("git-config", new String[] {plainFile(".git/config"), "inside .git"});
    patches.put("git-folder-other-case", new String[] {plainFile(".GIT/hooks/pre-commit"), "inside .git"});
    patches.put("nested-git-folder", new String[] {plainFile("vendor/.git/hooks/pre-commit"), "inside .git"});
    patches.put(
        "gitlink", new String[] {newFile("a/sub b/sub", "160000", "b/sub", "Subproject commit " + COMMIT), "gitlink"});
    patches.put("gitmodules", new String[] {plainFile(".gitmodules"), ".gitmodules"});
    patches.put(
        "control-character-name",
        new String[] {newFile("\"a/x\\001y\" \"b/x\\001y\"", "100644", "\"b/x\\001y\"", "x"), "control characters"});
    patches.put(
        "escape-sequence-name",
        new String[] {newFile("\"a/\\033[2J\" \"b/\\033[2J\"", "100644", "\"b/\\033[2J\"", "x"), "control characters"});
    patches.put(
        "binary-file",
        new String[] {GitRepos.diff(repo, base, Map.of("blob.dat", "MZ\u0000\u0001" + hook)), "binary content"});
    return patches;
  }

  @Test
  void theTestGateRefusesEveryHostilePatchBeforeApplyingIt() {
    Canary canary = Canary.in(tmp.resolve("canary"));
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    String before = canary.hash();
    Map<String, String[]> patches = hostilePatches(canary.dir(), repo, base);
    String followLinksAndCommit =
        "for l in $(find . -path ./.git -prune -o -type l -print); do echo x > \"$l/escaped\"; echo x >> \"$l\"; done;"
            + " touch " + canary.dir() + "/test-ran-$CONVERGE_TASK_ID; git commit -qam t; true";

    List<KV<Task, Candidate>> input =
        patches.entrySet().stream()
            .map(
                e ->
                    KV.of(
                        GitRepos.task(e.getKey(), repo, base, followLinksAndCommit, 30),
                        produced(e.getKey(), "model", 0, e.getValue()[0])))
            .toList();
    PCollection<Candidate> tested =
        pipeline
            .apply(Create.of(input).withCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class))))
            .apply(TestCandidates.inWorkDir(tmp.resolve("work").toString()))
            .apply(Values.create());
    PAssert.that(tested)
        .satisfies(
            all -> {
              int count = 0;
              for (Candidate c : all) {
                count++;
                String fragment = patches.get(c.taskId())[1];
                assertEquals(TestStatus.PATCH_FAILED, c.test().status(), c.taskId() + ": " + c.test());
                assertTrue(
                    c.test().outputTail().startsWith("unsafe change refused: the patch ")
                        && c.test().outputTail().contains(fragment),
                    c.taskId() + ": " + c.test().outputTail());
              }
              assertEquals(patches.size(), count);
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertEquals(before, canary.hash(), "the canary changed: " + canary.listing());
    ReliabilityLog.named("hostile-patches-test-gate")
        .put("cases", patches.size())
        .put("refused", patches.size())
        .put("escapes", 0)
        .put("testsRun", 0)
        .write();
  }

  @Test
  void aModelsHostileDiffNeverWritesOutsideTheScratchRepository() throws Exception {
    Canary canary = Canary.in(tmp.resolve("canary"));
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    Canary userRepo = Canary.watching(repo);
    String canaryBefore = canary.hash();
    String repoBefore = userRepo.hash();
    Map<String, String[]> patches = hostilePatches(canary.dir(), repo, base);

    for (Map.Entry<String, String[]> patch : patches.entrySet()) {
      PatchMaterializer.Result result =
          PatchMaterializer.apply(repo.toString(), base, patch.getValue()[0], tmp.resolve("scratch"));
      boolean refusedByGit = !result.applied();
      boolean refusedByGuard = result.applied() && PatchGuard.refusal(result.patch()).isPresent();
      assertTrue(refusedByGit || refusedByGuard, patch.getKey() + " was accepted: " + result.patch());
    }

    assertEquals(canaryBefore, canary.hash(), "the canary changed: " + canary.listing());
    assertEquals(repoBefore, userRepo.hash(), "the user's repository changed");
    assertFalse(tmp.resolve("escaped.txt").toFile().exists());
    ReliabilityLog.named("hostile-patches-model-diffs")
        .put("cases", patches.size())
        .put("refused", patches.size())
        .put("escapes", 0)
        .write();
  }
}
