package dev.converge.transforms.report;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchFormatterTest {
  @TempDir Path tmp;

  private Outcome outcome(Path repo, String base, String instructions) {
    String patch =
        GitRepos.diff(
            repo,
            base,
            Map.of("a.txt", "hello, world\n", "docs/new.md", "# New\n\nA new file.\n"));
    Task task =
        new Task(
            "greet-42",
            "repo",
            repo.toString(),
            base,
            instructions,
            List.of("a.txt"),
            "be friendly",
            "true",
            30);
    Candidate a = tested(produced("greet-42", "a", 0, patch), TestStatus.PASSED);
    Candidate b = tested(produced("greet-42", "b", 1, patch), TestStatus.PASSED);
    return new Outcome(
        task,
        TaskState.MERGED,
        "majority: 2 of 2 candidates made this change and passed the tests (a#0, b#1)",
        List.of(a, b),
        List.of(new VoteCluster(a.patchHash(), List.of("a#0", "b#1"), true, true)),
        patch);
  }

  /** Clones {@code repo} fresh and runs {@code git am} on {@code mail}; returns the clone. */
  private Path applyWithGitAm(Path repo, String mail) throws IOException {
    Path clone = tmp.resolve("clone");
    GitRepos.git(tmp, "clone", "--quiet", repo.toString(), clone.toString());
    Path mailFile = tmp.resolve("greet-42.patch");
    Files.writeString(mailFile, mail, StandardCharsets.UTF_8);
    GitRepos.git(clone, "am", "--quiet", mailFile.toString());
    return clone;
  }

  @Test
  void formattedPatchAppliesWithGitAmAndNamesTheTask() throws IOException {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "hello\n", "b.txt", "unchanged\n"));
    Outcome outcome = outcome(repo, base, "Greet the whole world\n\nSay hello to everyone.");

    Path clone = applyWithGitAm(repo, PatchFormatter.format(outcome));

    String subject = GitRepos.git(clone, "log", "-1", "--format=%s").strip();
    assertTrue(subject.contains("greet-42"), subject);
    assertEquals("greet-42: Greet the whole world", subject);
    String body = GitRepos.git(clone, "log", "-1", "--format=%b");
    assertTrue(body.contains("Converge-Task: greet-42"), body);
    assertTrue(body.contains("Converge-Agreed: a#0, b#1"), body);
    assertEquals(
        "Converge <converge@localhost>", GitRepos.git(clone, "log", "-1", "--format=%an <%ae>").strip());
    // The commit sits on the base commit and carries exactly the accepted change.
    assertEquals(base, GitRepos.git(clone, "rev-parse", "HEAD~1").strip());
    assertEquals("hello, world\n", Files.readString(clone.resolve("a.txt")));
    assertEquals("# New\n\nA new file.\n", Files.readString(clone.resolve("docs/new.md")));
    assertEquals("", GitRepos.git(clone, "status", "--porcelain"));
  }

  @Test
  void nonAsciiInstructionsSurviveGitAm() throws IOException {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "hello\n"));
    Outcome outcome = outcome(repo, base, "Grüße an die Welt — ünïcödé");

    Path clone = applyWithGitAm(repo, PatchFormatter.format(outcome));

    assertEquals(
        "greet-42: Grüße an die Welt — ünïcödé",
        GitRepos.git(clone, "log", "-1", "--format=%s").strip());
  }

  @Test
  void formattingTheSameOutcomeTwiceIsByteIdentical() {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "hello\n"));
    Outcome outcome = outcome(repo, base, "Greet the whole world");
    byte[] first = PatchFormatter.format(outcome).getBytes(StandardCharsets.UTF_8);
    // An equal outcome built again from scratch gives the same bytes too.
    byte[] second =
        PatchFormatter.format(outcome(repo, base, "Greet the whole world"))
            .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(first, second);
    assertArrayEquals(first, PatchFormatter.format(outcome).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void instructionsWithAMarkdownRuleKeepTheTrailers() throws IOException {
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "hello\n"));
    Outcome outcome =
        outcome(repo, base, "Greet the whole world\n\nContext\n---\nBe friendly.");

    Path clone = applyWithGitAm(repo, PatchFormatter.format(outcome));

    String body = GitRepos.git(clone, "log", "-1", "--format=%b");
    assertTrue(body.contains("Be friendly."), body);
    assertTrue(body.contains("Converge-Task: greet-42"), body);
  }
}
