package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.LICENSE;
import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFilesTest {
  @TempDir Path dir;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static List<String> ranges(int total, int lines, int overlap) {
    return ChunkFiles.ranges(total, lines, overlap).stream().map(r -> r[0] + "-" + r[1]).toList();
  }

  @Test
  void chunksOverlapAndCoverEveryLine() {
    assertEquals(List.of("1-200", "181-380", "361-450"), ranges(450, 200, 20));
    assertEquals(List.of("1-10"), ranges(10, 200, 20));
    assertEquals(List.of("1-3", "4-6", "7-7"), ranges(7, 3, 0));
    assertEquals(List.of(), ranges(0, 200, 20));
    assertEquals(List.of("1-2", "2-3", "3-4"), ranges(4, 2, 1));
  }

  @Test
  void splitsLinesWithoutAnEmptyLastLine() {
    assertEquals(List.of("a", "b"), ChunkFiles.splitLines("a\r\nb\n"));
    assertEquals(List.of("a", "", "b"), ChunkFiles.splitLines("a\n\nb"));
    assertEquals(List.of(), ChunkFiles.splitLines(""));
  }

  @Test
  void groupsOnlyTheRulesThatApplyToTheFile() {
    List<Rule> rules = List.of(SQL, SECRET, LICENSE);
    assertEquals(List.of(List.of(SQL), List.of(SECRET)), ChunkFiles.ruleGroups(rules, "app/db.py", 1));
    assertEquals(List.of(List.of(SQL, SECRET)), ChunkFiles.ruleGroups(rules, "db.py", 10));
    assertEquals(List.of(List.of(LICENSE)), ChunkFiles.ruleGroups(rules, "docs/x.md", 10));
    assertEquals(List.of(), ChunkFiles.ruleGroups(rules, "Makefile", 10));
  }

  @Test
  void refusesAnOverlapThatIsNotSmallerThanTheChunk() {
    assertThrows(IllegalArgumentException.class, () -> ChunkFiles.against(List.of(SQL)).withLines(10, 10));
    assertThrows(IllegalArgumentException.class, () -> ChunkFiles.against(List.of(SQL)).withRulesPerCall(0));
  }

  @Test
  void readsPlainFilesAndGitFilesAndSkipsWhatIsNotText() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("docs"));
    String big = IntStream.rangeClosed(1, 25).mapToObj(i -> "row " + i).collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(folder.resolve("app.py"), big);
    Files.write(folder.resolve("logo.py"), new byte[] {'P', 'N', 'G', 0, 1, 2});
    Files.write(folder.resolve("latin1.py"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    Path repo = dir.resolve("repo");
    String commit = GitRepos.create(repo, Map.of("src/db.py", "one\ntwo\n"));
    // The work tree changes after the commit; the review reads the commit.
    Files.writeString(repo.resolve("src/db.py"), "changed\n");
    String root = folder.toString();

    PCollectionTuple out =
        pipeline
            .apply(
                Create.of(
                        new SourceFile("docs", "app.py", "h1", root, ""),
                        new SourceFile("docs", "logo.py", "h2", root, ""),
                        new SourceFile("docs", "latin1.py", "h3", root, ""),
                        new SourceFile("docs", "missing.py", "h4", root, ""),
                        new SourceFile("repo", "src/db.py", "h5", repo.toString(), commit))
                    .withCoder(JsonCoder.of(SourceFile.class)))
            .apply(ChunkFiles.against(List.of(SQL, SECRET)).withLines(10, 2).withRulesPerCall(1));

    PAssert.that(out.get(ChunkFiles.CHUNKS))
        .satisfies(
            chunks -> {
              List<String> labels = new ArrayList<>();
              chunks.forEach(c -> labels.add(c.target() + "/" + c.path() + ":" + c.startLine() + "-" + c.endLine() + c.ruleIds()));
              labels.sort(null);
              assertEquals(
                  List.of(
                      "docs/app.py:1-10[secret]", "docs/app.py:1-10[sql]",
                      "docs/app.py:17-25[secret]", "docs/app.py:17-25[sql]",
                      "docs/app.py:9-18[secret]", "docs/app.py:9-18[sql]",
                      "repo/src/db.py:1-2[secret]", "repo/src/db.py:1-2[sql]"),
                  labels);
              for (Chunk c : chunks) {
                if (c.path().equals("src/db.py")) {
                  assertEquals("one\ntwo\n", c.text());
                } else if (c.startLine() == 17) {
                  assertEquals(25, c.totalLines());
                  assertEquals("row 17\n", c.lines(17, 17));
                }
              }
              return null;
            });
    PAssert.that(out.get(ChunkFiles.SKIPPED))
        .satisfies(
            skipped -> {
              List<String> reasons = new ArrayList<>();
              skipped.forEach(s -> reasons.add(s.path() + ": " + s.status() + ": " + s.reason().replaceAll(":.*", "")));
              reasons.sort(null);
              assertEquals(
                  List.of(
                      "latin1.py: skipped: not a UTF-8 text file",
                      "logo.py: skipped: not a UTF-8 text file",
                      "missing.py: skipped: NoSuchFileException"),
                  reasons);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
