package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental bookkeeping: which files are reviewed, carried findings, fixed and new ones. */
class ReviewOutputsTest {
  @TempDir Path out;

  private static SourceFile file(String path, String hash) {
    return new SourceFile("svc", path, hash, "/nowhere", "");
  }

  private static FindingCluster confirmed(String path, Rule rule, int line, String text) {
    String hash = Clustering.lineHash("svc", path, rule.id(), text);
    return new FindingCluster(
        "svc", path, rule.id(), rule.severity(), line, line, rule.title(), List.of("a", "b"), List.of(), text, text,
        line, hash, ClusterState.CONFIRMED, "agreed", new Verdict("v", Verdict.CONFIRMED, "", 0, ""), "", false);
  }

  private static ReviewCall call(String path, String status) {
    return new ReviewCall("svc", path, 1, 10, List.of("sql"), "a", "command", 0, status, "", 0, 5, "");
  }

  private void pipelineWrote(List<FindingCluster> clusters, List<ReviewCall> calls) throws IOException {
    Files.writeString(out.resolve("results.jsonl"), clusters.stream().map(Json::line).collect(Collectors.joining("\n")));
    Files.writeString(out.resolve("calls.jsonl"), calls.stream().map(Json::line).collect(Collectors.joining("\n")));
  }

  private ReviewOutputs.Finished finish(List<SourceFile> files, IncrementalPlan plan) throws IOException {
    return ReviewOutputs.finish(
        out.toString(),
        new ReviewOutputs.Run(
            "nightly", "direct", List.of("svc"), List.of(SQL, SECRET), files, plan, "cfg",
            out.resolve("state.json").toString(), 1.5));
  }

  @Test
  void aFirstRunReportsEverythingAsNewAndWritesTheState() throws IOException {
    List<SourceFile> files = List.of(file("a.py", "h1"));
    IncrementalPlan plan = IncrementalPlan.of(files, Optional.empty(), "cfg", false);
    assertEquals(files, plan.toReview());
    FindingCluster sql = confirmed("a.py", SQL, 10, "q = 'x' + y");
    FindingCluster noise = sql.withState(ClusterState.NO_QUORUM, "only 1");
    pipelineWrote(List.of(noise, sql), List.of(call("a.py", ReviewCall.OK)));

    ReviewOutputs.Finished finished = finish(files, plan);

    assertEquals(1, finished.summary().findings());
    assertEquals(1, finished.summary().newFindings());
    assertEquals(1, finished.summary().newAtLeast(Severity.HIGH));
    assertEquals(0, finished.summary().newAtLeast(Severity.CRITICAL));
    assertEquals(1, finished.summary().states().get("no-quorum"));
    FindingCluster reported = finished.reported().get(0);
    assertEquals(sql.lineHash() + ":1", reported.fingerprint());
    assertTrue(reported.newFinding());
    assertEquals(2, Files.readAllLines(out.resolve("results.jsonl")).size());
    assertEquals(1, Files.readAllLines(out.resolve("findings.jsonl")).size());
    assertTrue(Files.exists(out.resolve("findings.sarif")));
    assertTrue(Files.readString(out.resolve("board.html")).contains("Findings (1)"));
    ReviewState state = ReviewState.read(out.resolve("state.json").toString()).orElseThrow();
    assertEquals("cfg", state.config());
    assertEquals(List.of(reported), state.files().get("svc/a.py").findings());
    assertTrue(state.files().get("svc/a.py").complete());
  }

  @Test
  void aNextRunCarriesUnchangedFilesFixesGoneFindingsAndFlagsNewOnes() throws IOException {
    FindingCluster kept = confirmed("a.py", SQL, 10, "q = 'x' + y").withFingerprint("", false);
    FindingCluster changed = confirmed("b.py", SECRET, 3, "KEY = 'abc'");
    FindingCluster gone = confirmed("gone.py", SQL, 7, "run(q + z)");
    ReviewState previous =
        new ReviewState(
            ReviewState.VERSION,
            "nightly",
            "cfg",
            Map.of(
                "svc/a.py", new ReviewState.FileState("h1", true, List.of(kept.withFingerprint(kept.lineHash() + ":1", true))),
                "svc/b.py", new ReviewState.FileState("h2", true, List.of(changed.withFingerprint(changed.lineHash() + ":1", true))),
                "svc/gone.py", new ReviewState.FileState("h3", true, List.of(gone.withFingerprint(gone.lineHash() + ":1", true)))));
    List<SourceFile> files = List.of(file("a.py", "h1"), file("b.py", "h2-edited"), file("new.py", "h4"));

    IncrementalPlan plan = IncrementalPlan.of(files, Optional.of(previous), "cfg", false);

    assertEquals(List.of("b.py", "new.py"), plan.toReview().stream().map(SourceFile::path).toList());
    assertEquals(List.of("a.py"), plan.unchanged().stream().map(SourceFile::path).toList());
    assertEquals(List.of("svc/gone.py"), plan.deleted());
    assertEquals("2 new or changed, 1 unchanged, 1 deleted", plan.why());

    FindingCluster fresh = confirmed("new.py", SECRET, 1, "TOKEN = 'abc'");
    pipelineWrote(List.of(fresh), List.of(call("b.py", ReviewCall.OK), call("new.py", ReviewCall.FAILED)));
    ReviewOutputs.Finished finished = finish(files, plan);

    Map<String, String> states =
        finished.clusters().stream().collect(Collectors.toMap(FindingCluster::path, c -> c.state().label() + ": " + c.reason()));
    assertEquals("carried: unchanged since it was confirmed by an earlier run", states.get("a.py"));
    assertEquals("fixed: not reported again when the changed file was reviewed", states.get("b.py"));
    assertEquals("fixed: the file is gone (deleted or out of scope)", states.get("gone.py"));
    assertEquals("confirmed: agreed", states.get("new.py"));
    ReviewSummary summary = finished.summary();
    assertEquals(2, summary.findings());
    assertEquals(1, summary.newFindings());
    assertEquals(1, summary.newBySeverity().get("critical"));
    assertEquals(2, summary.fixed());
    assertEquals(2, summary.filesReviewed());
    assertEquals(1, summary.filesUnchanged());
    assertEquals(1, summary.filesDeleted());
    assertEquals(2, summary.reviewerCalls());
    assertEquals(1, summary.failedReviewerCalls());
    assertTrue(summary.incremental());
    FindingCluster carried = finished.reported().stream().filter(c -> c.path().equals("a.py")).findFirst().orElseThrow();
    assertFalse(carried.newFinding());
    assertEquals(kept.lineHash() + ":1", carried.fingerprint());

    JsonNode sarif = Json.MAPPER.readTree(Files.readString(out.resolve("findings.sarif")));
    assertEquals(2, sarif.at("/runs/0/results").size(), "fixed findings are not in the report");

    ReviewState next = ReviewState.read(out.resolve("state.json").toString()).orElseThrow();
    assertEquals(List.of("svc/a.py", "svc/b.py", "svc/new.py"), List.copyOf(next.files().keySet()));
    assertEquals(List.of(), next.files().get("svc/b.py").findings());
    assertFalse(next.files().get("svc/new.py").complete(), "a failed call leaves the file to review again");
    assertEquals("h2-edited", next.files().get("svc/b.py").hash());

    IncrementalPlan after = IncrementalPlan.of(files, Optional.of(next), "cfg", false);
    assertEquals(List.of("new.py"), after.toReview().stream().map(SourceFile::path).toList());
  }

  @Test
  void newSettingsOrAFullRunReviewEveryFile() {
    ReviewState previous =
        new ReviewState(ReviewState.VERSION, "nightly", "old", Map.of("svc/a.py", new ReviewState.FileState("h1", true, List.of())));
    List<SourceFile> files = List.of(file("a.py", "h1"));
    assertEquals(1, IncrementalPlan.of(files, Optional.of(previous), "new", false).toReview().size());
    assertEquals(0, IncrementalPlan.of(files, Optional.of(previous), "old", false).toReview().size());
    assertEquals(1, IncrementalPlan.of(files, Optional.of(previous), "old", true).toReview().size());
  }

  @Test
  void aBrokenStateFileIsAnErrorThatSaysSo() throws IOException {
    Path state = out.resolve("broken.json");
    Files.writeString(state, "{not json");
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ReviewState.read(state.toString()));
    assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
    assertEquals(Optional.empty(), ReviewState.read(out.resolve("missing.json").toString()));
  }
}
