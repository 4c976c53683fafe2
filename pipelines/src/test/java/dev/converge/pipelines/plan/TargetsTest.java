package dev.converge.pipelines.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets at scale: URLs cloned with JGit, list files, globs of folders, per-target overrides. */
class TargetsTest {
  @TempDir Path dir;

  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

  /** Makes a git repository in {@code repo} (branch main) with {@code files}; returns the commit. */
  static String repo(Path repo, Map<String, String> files) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      return commit(git, repo, files, "initial");
    }
  }

  private static String commit(Git git, Path repo, Map<String, String> files, String message)
      throws Exception {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = repo.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    git.add().addFilepattern(".").call();
    RevCommit commit =
        git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
    return commit.getName();
  }

  /** Writes a spec over {@code targets} (YAML lines) with one task and a fan-out over *.py. */
  private ChangeJob compile(String targets) throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        "name: t\nkind: change\ntargets:\n"
            + targets
            + "plan:\n"
            + "  tasks: [{id: fix, instructions: fix it}]\n"
            + "  forEachFile: [{glob: '**.py', id: 'doc-{stem}', instructions: 'document {path}'}]\n"
            + "agents: [{id: a, type: simulated}]\n"
            + "test: {command: make test}\n");
    return ChangeJob.compile(SpecParser.parse(spec), spec, dir.resolve("clones"));
  }

  @Test
  void aUrlTargetIsClonedAndFetchedAgainOnTheNextRun() throws Exception {
    Path origin = dir.resolve("origin");
    String first = repo(origin, Map.of("lib/a.py", "a = 1\n"));
    String url = origin.toUri().toString();
    assertTrue(url.startsWith("file:/"), url);

    ChangeJob job = compile("  - {url: '" + url + "', ref: main}\n");
    Target target = job.targets().get(0);
    assertEquals("origin", target.id());
    assertEquals(first, target.commit());
    assertFalse(target.local());
    assertTrue(target.repo().startsWith(dir.resolve("clones")), target.repo().toString());
    assertEquals(List.of("lib/a.py"), target.files());

    String second;
    try (Git git = Git.open(origin.toFile())) {
      second = commit(git, origin, Map.of("lib/b.py", "b = 2\n"), "second");
    }
    Target again = compile("  - {url: '" + url + "', ref: main}\n").targets().get(0);
    assertEquals(second, again.commit());
    assertEquals(target.repo(), again.repo());
    assertEquals(List.of("lib/a.py", "lib/b.py"), again.files());
  }

  @Test
  void aListFileNamesFoldersAndUrlsWithOptionalRefs() throws Exception {
    String one = repo(dir.resolve("repos/one"), Map.of("x.py", "x\n"));
    Path two = dir.resolve("elsewhere/two");
    String twoCommit = repo(two, Map.of("y.py", "y\n"));
    Files.writeString(
        dir.resolve("repos/list.txt"),
        "# the services\none\n\n" + two.toUri() + " main   # by URL\n");

    ChangeJob job = compile("  - list: repos/list.txt\n");
    assertEquals(List.of("one", "two"), job.targets().stream().map(Target::id).toList());
    assertEquals(one, job.targets().get(0).commit());
    assertTrue(job.targets().get(0).local());
    assertEquals(twoCommit, job.targets().get(1).commit());
    assertFalse(job.targets().get(1).local());
    assertEquals(
        List.of("one/doc-x", "one/fix", "two/doc-y", "two/fix"),
        job.tasks().stream().map(Task::id).sorted().toList());
  }

  @Test
  void aGlobOfFoldersGivesOneTargetPerRepositoryInPathOrder() throws Exception {
    repo(dir.resolve("repos/svc-b"), Map.of("b.py", "b\n"));
    repo(dir.resolve("repos/svc-a"), Map.of("a.py", "a\n"));
    Files.createDirectories(dir.resolve("repos/not-a-repo"));
    Files.writeString(dir.resolve("repos/README.md"), "readme\n");

    ChangeJob job = compile("  - glob: 'repos/*'\n");
    assertEquals(List.of("svc-a", "svc-b"), job.targets().stream().map(Target::id).toList());
    assertEquals(
        List.of("svc-a/doc-a", "svc-a/fix", "svc-b/doc-b", "svc-b/fix"),
        job.tasks().stream().map(Task::id).sorted().toList());
  }

  @Test
  void perTargetTestAndPathsOverrideTheSpec() throws Exception {
    repo(dir.resolve("mono"), Map.of("src/a.py", "a\n", "tools/t.py", "t\n"));
    repo(dir.resolve("plain"), Map.of("p.py", "p\n"));

    ChangeJob job =
        compile(
            "  - {path: mono, test: make check, paths: ['src/**']}\n"
                + "  - {path: plain}\n");
    Map<String, String> tests =
        job.tasks().stream()
            .collect(java.util.stream.Collectors.toMap(Task::id, Task::testCommand));
    assertEquals(
        Map.of(
            "mono/fix", "make check",
            "mono/doc-a", "make check",
            "plain/fix", "make test",
            "plain/doc-p", "make test"),
        tests);
  }

  @Test
  void twoRepositoriesWithTheSameNameAreABadPlan() throws Exception {
    repo(dir.resolve("repos/svc"), Map.of("a.py", "a\n"));
    repo(dir.resolve("other/svc"), Map.of("b.py", "b\n"));
    PlanException e =
        assertThrows(PlanException.class, () -> compile("  - glob: 'repos/*'\n  - path: other/svc\n"));
    assertTrue(e.getMessage().contains("two repositories are named 'svc'"), e.getMessage());
  }

  @Test
  void aGlobThatMatchesNoRepositoryIsABadPlan() throws Exception {
    Files.createDirectories(dir.resolve("repos/empty"));
    PlanException e = assertThrows(PlanException.class, () -> compile("  - glob: 'repos/*'\n"));
    assertTrue(e.getMessage().startsWith("targets[0].glob: no git repository matches"), e.getMessage());
  }

  @Test
  void aTaskTargetThatNoResolvedRepositoryHasIsABadPlan() throws Exception {
    repo(dir.resolve("repos/svc-a"), Map.of("a.py", "a\n"));
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        "name: t\nkind: change\ntargets: [{glob: 'repos/*'}]\n"
            + "plan: {tasks: [{id: fix, instructions: fix it, target: svc-b}]}\n"
            + "agents: [{id: a, type: simulated}]\ntest: {command: make test}\n");
    PlanException e =
        assertThrows(
            PlanException.class,
            () -> ChangeJob.compile(SpecParser.parse(spec), spec, dir.resolve("clones")));
    assertEquals("plan.tasks[0].target: unknown target 'svc-b' (targets: svc-a)", e.getMessage());
  }
}
