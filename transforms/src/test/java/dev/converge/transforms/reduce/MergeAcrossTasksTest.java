package dev.converge.transforms.reduce;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.workspace.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reduce across tasks: 3-way merges of changes to one file, conflicts that name the colliding task
 * and hunk, a resolver agent whose resolution is tested again, the re-test of the combination with
 * bisection to the guilty task, the per-repository mbox and the branch.
 */
class MergeAcrossTasksTest {
  /** Ten numbered lines: changes to lines 3 and 6 do not overlap, but their diff contexts do. */
  private static final String TEN =
      IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private Path repo;
  private String base;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base = GitRepos.create(repo, Map.of("a.txt", TEN, "b.txt", "bee\n", "c.txt", "sea\n"));
  }

  private static String withLine(String text, int line, String replacement) {
    List<String> lines = new java.util.ArrayList<>(text.lines().toList());
    lines.set(line - 1, replacement);
    return String.join("\n", lines) + "\n";
  }

  /** An accepted outcome of task {@code id} whose patch writes {@code changes}; tested by {@code test}. */
  private Outcome accepted(String id, Map<String, String> changes, String test) {
    Task task = GitRepos.task(id, repo, base, test, 30);
    String patch = GitRepos.diff(repo, base, changes);
    Candidate winner = tested(produced(id, "agent", 0, patch), TestStatus.PASSED);
    return new Outcome(
        task,
        TaskState.MERGED,
        "majority: 1 of 1 candidates made this change and passed the tests (agent#0)",
        List.of(winner),
        List.of(new VoteCluster(winner.patchHash(), List.of("agent#0"), true, true)),
        patch);
  }

  private PCollectionTuple reduce(ReduceConflicts reduce, Outcome... outcomes) {
    return pipeline
        .apply(Create.of(List.of(outcomes)).withCoder(JsonCoder.of(Outcome.class)))
        .apply(reduce);
  }

  private ReduceConflicts reduceConflicts() {
    return ReduceConflicts.inWorkDir(tmp.resolve("work").toString());
  }

  /** State and reason by task id, so that PAssert's checks capture only serializable values. */
  private static Map<String, String> states(Iterable<Outcome> outcomes) {
    Map<String, String> states = new HashMap<>();
    for (Outcome o : outcomes) {
      assertEquals(null, states.put(o.task().id(), o.state().label() + " | " + o.reason()));
    }
    return states;
  }

  private static void assertState(Map<String, String> states, String id, TaskState state) {
    assertTrue(states.get(id).startsWith(state.label() + " |"), id + ": " + states.get(id));
  }

  /** Applies an mbox with {@code git am} to a fresh clone of {@code repo} at {@code commit}. */
  private static Path applyMbox(String repo, String commit, String mbox, Path where) {
    try {
      Path clone = Files.createTempDirectory(where, "am-");
      GitRepos.git(where, "clone", "--quiet", repo, clone.toString());
      GitRepos.git(clone, "checkout", "--quiet", "--detach", commit);
      Path file = Files.createTempFile(where, "series-", ".mbox");
      Files.writeString(file, mbox);
      GitRepos.git(clone, "am", "--quiet", file.toString());
      return clone;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void twoTasksChangingDifferentPartsOfOneFileBothMerge() {
    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 3, "line 3 by t1")), "grep -q 'by t1' a.txt");
    Outcome t2 = accepted("t2", Map.of("a.txt", withLine(TEN, 6, "line 6 by t2")), "grep -q 'by t2' a.txt");
    // Applied one after the other, t2's patch would not apply: its context holds t1's line 3.
    PCollectionTuple out = reduce(reduceConflicts(), t2, t1);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "t1", TaskState.MERGED);
              assertState(states, "t2", TaskState.MERGED);
              return null;
            });
    String where = tmp.toString();
    String repoPath = repo.toString();
    String expected =
        withLine(withLine(TEN, 3, "line 3 by t1"), 6, "line 6 by t2");
    PAssert.that(out.get(ReduceConflicts.SERIES))
        .satisfies(
            all -> {
              MergedSeries series = all.iterator().next();
              assertEquals(List.of("t1", "t2"), series.taskIds());
              assertEquals("repo", series.target());
              Path clone = applyMbox(repoPath, series.baseCommit(), series.mbox(), Path.of(where));
              try {
                assertEquals(expected, Files.readString(clone.resolve("a.txt")));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              assertEquals(
                  "t2: Implement t2\nt1: Implement t1\n",
                  GitRepos.git(clone, "log", "--format=%s", series.baseCommit() + "..HEAD"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void overlappingEditsGiveOneMergedAndOneConflictNamingTheTaskAndHunk() {
    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 5, "five by t1")), "true");
    Outcome t2 = accepted("t2", Map.of("b.txt", "bee by t2\n"), "true");
    Outcome t3 = accepted("t3", Map.of("a.txt", withLine(TEN, 5, "five by t3")), "true");
    PCollectionTuple out = reduce(reduceConflicts(), t3, t2, t1);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "t1", TaskState.MERGED);
              assertState(states, "t2", TaskState.MERGED);
              assertState(states, "t3", TaskState.CONFLICT);
              String reason = states.get("t3");
              assertTrue(reason.contains("conflicts with t1"), reason);
              assertTrue(reason.contains("a.txt"), reason);
              assertTrue(reason.contains("line 5"), reason);
              assertTrue(reason.contains("@@ -2,7 +2,7 @@"), reason);
              assertFalse(reason.contains("t2"), reason);
              return null;
            });
    PAssert.that(out.get(ReduceConflicts.SERIES))
        .satisfies(
            all -> {
              assertEquals(List.of("t1", "t2"), all.iterator().next().taskIds());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** A resolver that keeps both sides of every conflict: it deletes the markers. */
  private static CommandAgent keepBoth() {
    return CommandAgent.of(
        "keep-both",
        List.of(
            "sh",
            "-c",
            "for f in $CONVERGE_FILES; do sed -i '/^<<<<<<< /d; /^=======$/d; /^>>>>>>> /d' \"$f\"; done"));
  }

  @Test
  void aResolverResolvesAConflictAndItsResolutionPassesTheTests() {
    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 5, "five by t1")), "grep -q 'by t1' a.txt");
    Outcome t2 = accepted("t2", Map.of("a.txt", withLine(TEN, 5, "five by t2")), "grep -q 'by t2' a.txt");
    PCollectionTuple out = reduce(reduceConflicts().withResolver(keepBoth()), t1, t2);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "t1", TaskState.MERGED);
              assertState(states, "t2", TaskState.MERGED);
              assertTrue(states.get("t2").contains("resolved by keep-both"), states.get("t2"));
              for (Outcome o : all) {
                if (o.task().id().equals("t2")) {
                  // Its patch is its commit of the series: on top of t1's change.
                  assertTrue(o.patch().contains("+five by t2"), o.patch());
                  assertTrue(o.patch().contains(" five by t1"), o.patch());
                }
              }
              return null;
            });
    String where = tmp.toString();
    String repoPath = repo.toString();
    PAssert.that(out.get(ReduceConflicts.SERIES))
        .satisfies(
            all -> {
              MergedSeries series = all.iterator().next();
              Path clone = applyMbox(repoPath, series.baseCommit(), series.mbox(), Path.of(where));
              GitRepos.git(clone, "grep", "-q", "by t1");
              GitRepos.git(clone, "grep", "-q", "by t2");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aResolutionThatFailsTheTestsLeavesTheLaterTaskInConflict() {
    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 5, "five by t1")), "grep -q 'by t1' a.txt");
    Outcome t2 = accepted("t2", Map.of("a.txt", withLine(TEN, 5, "five by t2")), "grep -q 'by t2' a.txt");
    // Keeps both lines but rewrites t2's: the resolution changes something, and t2's test fails.
    CommandAgent sloppy =
        CommandAgent.of(
            "sloppy",
            List.of(
                "sh",
                "-c",
                "for f in $CONVERGE_FILES; do sed -i '/^<<<<<<< /d; /^=======$/d; /^>>>>>>> /d;"
                    + " s/by t2/by nobody/' \"$f\"; done"));
    PCollectionTuple out = reduce(reduceConflicts().withResolver(sloppy), t1, t2);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "t1", TaskState.MERGED);
              assertState(states, "t2", TaskState.CONFLICT);
              String reason = states.get("t2");
              assertTrue(reason.contains("conflicts with t1"), reason);
              assertTrue(reason.contains("asked to resolve it, sloppy resolved it, but"), reason);
              assertTrue(reason.contains("fails the tests of t2"), reason);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aCombinationThatBreaksTheTestsIsTracedToTheGuiltyTask() {
    // The target's check: at most one of b.txt and c.txt says FLAG, and nothing says BROKEN.
    String check = "test \"$(cat b.txt c.txt | grep -c FLAG)\" -lt 2 && ! grep -q BROKEN *.txt";
    Outcome a = accepted("a", Map.of("a.txt", withLine(TEN, 1, "one by a")), "true");
    Outcome b = accepted("b", Map.of("b.txt", "FLAG from b\n"), "grep -q FLAG b.txt");
    Outcome c = accepted("c", Map.of("c.txt", "FLAG from c\n"), "grep -q FLAG c.txt");
    // d's own test passes, but its change breaks the target's check by itself.
    Outcome d = accepted("d", Map.of("d.txt", "BROKEN\n"), "test -f d.txt");
    PCollectionTuple out =
        reduce(reduceConflicts().withTargetCheck("repo", new TargetCheck(check, 30)), d, c, b, a);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "a", TaskState.MERGED);
              assertState(states, "b", TaskState.MERGED);
              assertState(states, "c", TaskState.CONFLICT);
              assertTrue(states.get("c").contains("combined with b it fails"), states.get("c"));
              assertState(states, "d", TaskState.REJECTED);
              assertTrue(states.get("d").contains("the test command of repo"), states.get("d"));
              return null;
            });
    PAssert.that(out.get(ReduceConflicts.SERIES))
        .satisfies(
            all -> {
              assertEquals(List.of("a", "b"), all.iterator().next().taskIds());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theChecksOfCombinedChangesRunInTheSandbox() {
    assumeTrue(Sandbox.available(), "bubblewrap does not work on this machine");
    // The target's check runs the agents' combined code: a's script tries to write into the user's
    // repository, which the sandbox keeps read-only, so the check fails on a's change (it passes
    // at the base commit) and a is rejected, with nothing written.
    Path outside = repo.resolve("escaped.txt");
    Outcome a = accepted("a", Map.of("escape.sh", "echo escaped > " + outside + "\n"), "true");
    PCollectionTuple out =
        reduce(
            reduceConflicts()
                .withSandbox(Sandbox.ON)
                .withTargetCheck("repo", new TargetCheck("test ! -f escape.sh || sh escape.sh", 30)),
            a);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "a", TaskState.REJECTED);
              assertTrue(states.get("a").contains("the test command of repo"), states.get("a"));
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertFalse(Files.exists(outside), "the check wrote " + outside);
  }

  @Test
  void aTaskThatBreaksAnotherTasksTestIsTheGuiltyOne() {
    // No target check. a's own test reads b.txt, which z deletes; z's own test passes.
    Outcome a =
        accepted(
            "a", Map.of("a.txt", withLine(TEN, 1, "one by a")), "grep -q 'one by a' a.txt && test -f b.txt");
    Outcome zDeletes = deleting("z", "b.txt");
    PCollectionTuple out = reduce(reduceConflicts(), zDeletes, a);
    PAssert.that(out.get(ReduceConflicts.OUTCOMES))
        .satisfies(
            all -> {
              Map<String, String> states = states(all);
              assertState(states, "a", TaskState.MERGED);
              assertState(states, "z", TaskState.CONFLICT);
              assertTrue(states.get("z").contains("combined with a it breaks the tests of a"), states.get("z"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** An accepted task that deletes {@code file}. */
  private Outcome deleting(String id, String file) {
    Path scratch = tmp.resolve("scratch-" + id);
    GitRepos.git(tmp, "clone", "--quiet", repo.toString(), scratch.toString());
    GitRepos.git(scratch, "rm", "--quiet", file);
    String patch = GitRepos.git(scratch, "diff", "--cached", "--binary", "--no-color", base);
    Task task = GitRepos.task(id, repo, base, "true", 30);
    Candidate winner = tested(produced(id, "agent", 0, patch), TestStatus.PASSED);
    return new Outcome(
        task,
        TaskState.MERGED,
        "majority",
        List.of(winner),
        List.of(new VoteCluster(winner.patchHash(), List.of("agent#0"), true, true)),
        patch);
  }

  @Test
  void theBranchHasOneCommitPerMergedTaskAndTheWorkingTreeIsUntouched() throws IOException {
    // The user has uncommitted work: a changed tracked file, a staged file and an untracked file.
    Files.writeString(repo.resolve("c.txt"), "sea, edited by the user\n");
    Files.writeString(repo.resolve("staged.txt"), "staged\n");
    GitRepos.git(repo, "add", "staged.txt");
    Files.writeString(repo.resolve("untracked.txt"), "mine\n");
    String statusBefore = GitRepos.git(repo, "status", "--porcelain");
    String headBefore = GitRepos.git(repo, "symbolic-ref", "HEAD");

    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 3, "line 3 by t1")), "true");
    Outcome t2 = accepted("t2", Map.of("a.txt", withLine(TEN, 3, "line 3 by t2")), "true");
    Outcome t3 = accepted("t3", Map.of("b.txt", "bee by t3\n"), "true");
    PCollectionTuple out =
        reduce(reduceConflicts().withBranch("converge/merged", Set.of("repo")), t1, t2, t3);
    PAssert.that(out.get(ReduceConflicts.SERIES))
        .satisfies(
            all -> {
              assertTrue(all.iterator().next().branch().startsWith("created branch converge/merged"));
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertEquals(statusBefore, GitRepos.git(repo, "status", "--porcelain"));
    assertEquals(headBefore, GitRepos.git(repo, "symbolic-ref", "HEAD"));
    assertEquals(base, GitRepos.git(repo, "rev-parse", "HEAD").strip());
    assertEquals(
        "t3: Implement t3\nt1: Implement t1\n",
        GitRepos.git(repo, "log", "--format=%s", base + "..converge/merged"));
    assertEquals("", GitRepos.git(repo, "diff", "--stat", "converge/merged~2", base));
    GitRepos.git(repo, "fsck", "--no-progress");
  }

  @Test
  void twoRunsGiveTheSameCommitsAndMbox() {
    Outcome t1 = accepted("t1", Map.of("a.txt", withLine(TEN, 3, "line 3 by t1")), "true");
    Outcome t2 = accepted("t2", Map.of("a.txt", withLine(TEN, 6, "line 6 by t2")), "true");
    RepoCombiner combiner = new RepoCombiner(tmp.resolve("work"), null, null, null, Sandbox.AUTO);
    MergedSeries first = combiner.combine("repo", List.of(t1, t2)).series().orElseThrow();
    MergedSeries second = combiner.combine("repo", List.of(t2, t1)).series().orElseThrow();
    assertEquals(first.headCommit(), second.headCommit());
    assertEquals(first.mbox(), second.mbox());
  }
}
