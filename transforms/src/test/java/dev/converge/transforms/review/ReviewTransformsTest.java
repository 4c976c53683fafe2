package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static dev.converge.transforms.review.ReviewFixtures.chunk;
import static dev.converge.transforms.review.ReviewFixtures.finding;
import static dev.converge.transforms.review.ReviewFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.JsonCoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CallReviewers, ClusterFindings and VerifyFindings on the Direct Runner, with fake agents. */
class ReviewTransformsTest {
  @TempDir Path workDir;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  @Test
  void everyCallIsRecordedAndOnlyValidAnswersGiveFindings() {
    ReviewFixtures.CALLS.clear();
    String good = "[" + json("sql", 3, 3, "sql injection") + "]";
    List<CallReviewers.Reviewer> reviewers =
        List.of(
            new CallReviewers.Reviewer(reviewer("careful", Map.of("a.py", good, "b.py", "[]")), 2),
            new CallReviewers.Reviewer(reviewer("garbage", Map.of("a.py", "Looks fine!", "b.py", "THROW")), 1));

    PCollectionTuple out =
        pipeline
            .apply(
                Create.of(chunk("a.py", 1, 5, List.of(SQL)), chunk("b.py", 1, 5, List.of(SQL, SECRET)))
                    .withCoder(JsonCoder.of(Chunk.class)))
            .apply(CallReviewers.with(reviewers).withGoal("g").withWorkDir(workDir.toString()));

    PAssert.that(out.get(CallReviewers.FINDINGS))
        .satisfies(
            findings -> {
              List<String> labels = new ArrayList<>();
              findings.forEach(f -> labels.add(f.path() + ":" + f.startLine() + " " + f.label()));
              labels.sort(null);
              assertEquals(List.of("a.py:3 careful#0", "a.py:3 careful#1"), labels);
              return null;
            });
    PAssert.that(out.get(CallReviewers.CALLS))
        .satisfies(
            calls -> {
              List<String> labels = new ArrayList<>();
              calls.forEach(
                  c -> labels.add(c.path() + " " + c.reviewer() + "#" + c.sample() + " " + c.status() + " " + c.findings()
                      + (c.reason().isEmpty() ? "" : " " + c.reason().replaceAll(" \\(.*", ""))));
              labels.sort(null);
              assertEquals(
                  List.of(
                      "a.py careful#0 ok 1",
                      "a.py careful#1 ok 1",
                      "a.py garbage#0 failed 0 the answer is not JSON",
                      "b.py careful#0 ok 0",
                      "b.py careful#1 ok 0",
                      "b.py garbage#0 failed 0 could not run the reviewer: IOException: the fake agent broke"),
                  labels);
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals(4, ReviewFixtures.CALLS.get("careful").get());
    assertEquals(2, ReviewFixtures.CALLS.get("garbage").get());
  }

  @Test
  void clustersAreGroupedByFileAndRuleAndDecidedByQuorum() {
    PCollection<FindingCluster> clusters =
        pipeline
            .apply(
                Create.of(
                        finding("a", 0, "sql", 10, 10, "sql injection"),
                        finding("b", 0, "sql", 11, 11, "sql injection here"),
                        finding("b", 0, "secret", 10, 10, "sql injection"),
                        finding("c", 0, "sql", 50, 50, "sql injection far away"))
                    .withCoder(JsonCoder.of(Finding.class)))
            .apply(ClusterFindings.withQuorum(2, 3));

    PAssert.that(clusters)
        .satisfies(
            all -> {
              List<String> labels = new ArrayList<>();
              all.forEach(c -> labels.add(c.rule() + ":" + c.startLine() + " " + c.state().label() + " " + c.reviewers()));
              labels.sort(null);
              assertEquals(
                  List.of("secret:10 no-quorum [b]", "sql:10 accepted [a, b]", "sql:50 no-quorum [c]"), labels);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theVerifierDecidesAgreedClustersOnly() {
    FindingCluster agreed =
        Clustering.decide(List.of(finding("a", 0, "sql", 10, 10, "sql"), finding("b", 0, "sql", 10, 10, "sql")), 2, 2);
    FindingCluster lonely = Clustering.decide(List.of(finding("a", 0, "sql", 30, 30, "sql")), 2, 2);

    assertVerified("{\"verdict\": \"confirmed\", \"reason\": \"concatenated\"}", true, agreed, lonely,
        "confirmed|2 of 2 reviewers reported it (a, b); quorum 2; skeptic confirmed it: concatenated",
        "no-quorum|only 1 of 2 reviewers reported it (a); quorum 2");
  }

  @Test
  void refutedAndFailedVerificationsAreKeptWithTheirReason() {
    FindingCluster agreed =
        Clustering.decide(List.of(finding("a", 0, "sql", 10, 10, "sql"), finding("b", 0, "sql", 10, 10, "sql")), 2, 2);
    assertVerified("{\"verdict\": \"refuted\", \"reason\": \"bound parameters\"}", true, agreed, null,
        "refuted|skeptic refuted it: bound parameters (2 of 2 reviewers reported it (a, b); quorum 2)");
  }

  @Test
  void aBrokenVerdictIsReportedUnverifiedOrDroppedAsConfigured() {
    FindingCluster agreed =
        Clustering.decide(List.of(finding("a", 0, "sql", 10, 10, "sql"), finding("b", 0, "sql", 10, 10, "sql")), 2, 2);
    VerifyFindings.Verifier report =
        new VerifyFindings.Verifier(ReviewFixtures.FakeAgent.verifying("skeptic", "yes!"), Map.of(), true, "", workDir.toString());
    FindingCluster unverified = report.verify(agreed);
    assertEquals(ClusterState.UNVERIFIED, unverified.state());
    assertTrue(unverified.reason().startsWith("the verification failed: the verdict is not JSON"), unverified.reason());
    assertEquals(Verdict.FAILED, unverified.verdict().status());
    assertTrue(unverified.reported());

    VerifyFindings.Verifier drop =
        new VerifyFindings.Verifier(ReviewFixtures.FakeAgent.verifying("skeptic", ""), Map.of(), false, "", workDir.toString());
    FindingCluster dropped = drop.verify(agreed);
    assertEquals(ClusterState.VERIFY_FAILED, dropped.state());
    assertTrue(!dropped.reported());
    assertNull(drop.verify(Clustering.decide(List.of(finding("a", 0, "sql", 1, 1, "x")), 2, 2)).verdict());
  }

  private void assertVerified(String verdict, boolean report, FindingCluster first, FindingCluster second, String... expected) {
    List<FindingCluster> input = new ArrayList<>(List.of(first));
    if (second != null) {
      input.add(second);
    }
    PCollection<FindingCluster> verified =
        pipeline
            .apply(Create.of(input).withCoder(JsonCoder.of(FindingCluster.class)))
            .apply(
                VerifyFindings.with(ReviewFixtures.FakeAgent.verifying("skeptic", verdict), List.of(SQL))
                    .reportingFailedVerifications(report)
                    .withWorkDir(workDir.toString()));
    PAssert.that(verified)
        .satisfies(
            all -> {
              List<String> labels = new ArrayList<>();
              all.forEach(c -> labels.add(c.state().label() + "|" + c.reason()));
              labels.sort(null);
              assertEquals(List.of(expected), labels);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  private static ReviewAgent reviewer(String id, Map<String, String> reviews) {
    return ReviewFixtures.FakeAgent.reviewing(id, reviews);
  }
}
