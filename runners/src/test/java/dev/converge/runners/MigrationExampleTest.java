package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.report.Summaries;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration example (specs/examples/migration) on ten generated repositories, one of each kind
 * that scripts/make-migration-repos makes, run through the CLI with {@code --branch}.
 */
class MigrationExampleTest {
  private static final int REPOS = 10;
  private static final String BRANCH = "converge/migration";

  @TempDir static Path tmp;
  private static Path root;
  private static Path repos;
  private static Path out;
  private static List<Outcome> outcomes;
  private static final Map<String, String> statusBefore = new HashMap<>();

  @BeforeAll
  static void runTheExample() throws Exception {
    root = checkoutRoot();
    Path input = tmp.resolve("input");
    copyTree(root.resolve("specs/examples/migration"), input);
    repos = input.resolve("repos");
    Cli.run(root, "python3", "scripts/make-migration-repos", repos.toString(), Integer.toString(REPOS));
    for (String repo : repoNames()) {
      statusBefore.put(repo, Cli.run(repos.resolve(repo), "git", "status", "--porcelain", "--branch"));
    }
    out = tmp.resolve("out");
    int exit =
        Converge.execute(
            "run", input.resolve("migration.yaml").toString(), "--out", out.toString(),
            "--branch", BRANCH);
    assertEquals(Converge.EXIT_OK, exit, "converge run exit code");
    outcomes = Summaries.readResults(out.toString());
  }

  private static Path checkoutRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/make-migration-repos"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find scripts/make-migration-repos above the working folder");
  }

  private static List<String> repoNames() {
    return java.util.stream.IntStream.range(0, REPOS).mapToObj(i -> String.format("svc-%03d", i)).toList();
  }

  private static Map<String, List<Outcome>> byRepo() {
    return outcomes.stream()
        .collect(Collectors.groupingBy(o -> o.task().target(), TreeMap::new, Collectors.toList()));
  }

  private static Outcome outcome(String id) {
    return outcomes.stream().filter(o -> o.task().id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void summaryCountsAddUpToTheNumberOfTasks() throws IOException {
    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    int tasks = summary.get("tasks").asInt();
    int sum = 0;
    for (TaskState state : TaskState.values()) {
      sum += summary.get("states").get(state.label()).asInt();
    }
    assertEquals(tasks, sum, summary.toString());
    assertEquals(tasks, outcomes.size());
    assertEquals(tasks, Files.readAllLines(out.resolve("results.jsonl")).size());
    // One to three clients per repository plus the two settings tasks.
    assertEquals(39, tasks);
    assertEquals(31, summary.get("states").get("merged").asInt());
    assertEquals(5, summary.get("states").get("rejected").asInt());
    assertEquals(2, summary.get("states").get("conflict").asInt());
    assertEquals(1, summary.get("states").get("failed").asInt());
  }

  @Test
  void everyKindOfRepositoryEndsAsExpectedAndEveryOtherStateHasAReason() {
    for (Outcome o : outcomes) {
      int kind = Integer.parseInt(o.task().target().substring(4)) % 10;
      String task = o.task().id().substring(o.task().id().indexOf('/') + 1);
      TaskState expected =
          switch (kind) {
            case 5 -> TaskState.REJECTED;
            case 6 -> o.reason().contains("exited with code 3") ? TaskState.FAILED : TaskState.MERGED;
            case 7, 8 -> task.equals("raise-timeout") ? TaskState.CONFLICT : TaskState.MERGED;
            default -> TaskState.MERGED;
          };
      assertEquals(expected, o.state(), o.task().id() + ": " + o.reason());
      assertFalse(o.reason().isBlank(), o.task().id());
    }
    assertTrue(outcome("svc-003/raise-timeout").reason().contains("resolved by resolver"));
    String textual = outcome("svc-007/raise-timeout").reason();
    assertTrue(textual.startsWith("conflicts with svc-007/more-retries — app/settings.py"), textual);
    assertTrue(textual.contains("cannot resolve"), textual);
    String tests = outcome("svc-008/raise-timeout").reason();
    assertTrue(tests.contains("combined with svc-008/more-retries it fails"), tests);
    assertEquals(1, byRepo().get("svc-006").stream().filter(o -> o.state() == TaskState.FAILED).count());
  }

  @Test
  void everyRepositoryWithMergedTasksGetsACombinedPatchThatAppliesAndPassesItsTests()
      throws Exception {
    for (Map.Entry<String, List<Outcome>> repo : byRepo().entrySet()) {
      String name = repo.getKey();
      List<Outcome> merged =
          repo.getValue().stream().filter(o -> o.state() == TaskState.MERGED).toList();
      Path mbox = out.resolve("repos").resolve(name + ".mbox");
      assertEquals(!merged.isEmpty(), Files.exists(mbox), name);
      for (Outcome o : repo.getValue()) {
        assertEquals(
            o.state() == TaskState.MERGED,
            Files.exists(out.resolve("patches").resolve(o.task().id() + ".patch")),
            o.task().id());
      }
      if (merged.isEmpty()) {
        continue;
      }
      Path clone = tmp.resolve("am-" + name);
      Cli.run(tmp, "git", "clone", "--quiet", repos.resolve(name).toString(), clone.toString());
      Cli.run(clone, "git", "-c", "user.name=t", "-c", "user.email=t@t", "am", "--quiet", mbox.toString());
      assertEquals(
          Integer.toString(merged.size()),
          Cli.run(clone, "git", "rev-list", "--count", "origin/main..HEAD").strip(),
          name);
      Cli.run(clone, "python3", "-m", "unittest", "discover", "-s", "tests", "-q");
      // The branch holds the same combined tree as the mbox.
      assertEquals(
          Cli.run(clone, "git", "rev-parse", "HEAD^{tree}"),
          Cli.run(repos.resolve(name), "git", "rev-parse", BRANCH + "^{tree}"),
          name);
    }
  }

  @Test
  void theBranchHasOneCommitPerMergedTaskAndGitStatusIsUnchanged() throws Exception {
    for (String name : repoNames()) {
      Path repo = repos.resolve(name);
      assertEquals(statusBefore.get(name), Cli.run(repo, "git", "status", "--porcelain", "--branch"), name);
      assertEquals("refs/heads/main", Cli.run(repo, "git", "symbolic-ref", "HEAD").strip());
      long merged =
          byRepo().get(name).stream().filter(o -> o.state() == TaskState.MERGED).count();
      String branches = Cli.run(repo, "git", "branch", "--list", BRANCH).strip();
      if (merged == 0) {
        assertEquals("", branches, name);
        continue;
      }
      assertEquals(
          Long.toString(merged),
          Cli.run(repo, "git", "rev-list", "--count", "main.." + BRANCH).strip(),
          name);
    }
  }

  @Test
  void aBranchThatIsCheckedOutIsRefusedBeforeAnyAgentRuns() throws Exception {
    StringWriter err = new StringWriter();
    int exit =
        Converge.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "run", tmp.resolve("input/migration.yaml").toString(),
                "--out", tmp.resolve("refused").toString(), "--branch", "main");
    assertEquals(Converge.EXIT_BAD_INPUT, exit, err.toString());
    assertTrue(err.toString().contains("--branch: branch main is checked out"), err.toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            String name = dir.getFileName().toString();
            if (!dir.equals(from) && (name.equals("repos") || name.equals("out") || name.equals("__pycache__"))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
