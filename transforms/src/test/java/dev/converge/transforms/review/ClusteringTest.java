package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusteringTest {
  private static List<List<Finding>> cluster(List<Finding> findings) {
    return Clustering.cluster(findings, TextSimilarity.words(), 0.2, 2);
  }

  @Test
  void overlappingSimilarFindingsFormOneCluster() {
    List<List<Finding>> clusters =
        cluster(
            List.of(
                finding("b", 0, "sql", 14, 14, "SQL injection: query built by concatenation"),
                finding("a", 0, "sql", 13, 15, "query built by string concatenation, SQL injection"),
                finding("c", 0, "sql", 16, 16, "SQL injection through concatenation")));

    assertEquals(1, clusters.size());
    assertEquals(List.of("a", "b", "c"), clusters.get(0).stream().map(Finding::reviewer).toList());
  }

  @Test
  void distantOrDissimilarFindingsStayApart() {
    List<List<Finding>> clusters =
        cluster(
            List.of(
                finding("a", 0, "sql", 10, 10, "SQL injection in the user lookup"),
                finding("b", 0, "sql", 40, 40, "SQL injection in the user lookup"),
                finding("c", 0, "sql", 10, 11, "unrelated wording entirely different")));

    assertEquals(3, clusters.size());
  }

  @Test
  void aNoisyReviewersNeighbouringFindingsDoNotChainIntoOneCluster() {
    String noisy = "Possible hard-coded secret or credential";
    List<List<Finding>> clusters =
        cluster(
            List.of(
                finding("noisy", 0, "secret", 7, 7, noisy + " (key)"),
                finding("noisy", 0, "secret", 8, 8, noisy + " (secret)"),
                finding("noisy", 0, "secret", 10, 10, noisy + " (credential)"),
                finding("noisy", 0, "secret", 12, 12, noisy + " (key)"),
                finding("noisy", 0, "secret", 12, 12, noisy + " (key)"),
                finding("pattern", 0, "secret", 12, 12, "Hard-coded secret: API_KEY holds a literal credential"),
                finding("semantic", 0, "secret", 12, 12, "API_KEY is assigned a literal secret (hard-coded credential)")));

    assertEquals(
        List.of("7:[noisy]", "8:[noisy]", "10:[noisy]", "12:[noisy, noisy, pattern, semantic]"),
        clusters.stream()
            .map(c -> c.get(0).startLine() + ":" + c.stream().map(Finding::reviewer).toList())
            .toList());
  }

  @Test
  void lineToleranceJoinsNeighbouringRanges() {
    List<Finding> findings =
        List.of(finding("a", 0, "sql", 10, 10, "sql injection"), finding("b", 0, "sql", 12, 12, "sql injection"));
    assertEquals(1, Clustering.cluster(findings, TextSimilarity.words(), 0.2, 2).size());
    assertEquals(2, Clustering.cluster(findings, TextSimilarity.words(), 0.2, 1).size());
  }

  @Test
  void similarityIsPluggable() {
    List<Finding> findings =
        List.of(finding("a", 0, "sql", 10, 10, "injection"), finding("b", 0, "sql", 10, 10, "injected"));
    assertEquals(2, Clustering.cluster(findings, TextSimilarity.words(), 0.3, 0).size());
    assertEquals(1, Clustering.cluster(findings, TextSimilarity.trigrams(), 0.3, 0).size());
    assertEquals(1, Clustering.cluster(findings, TextSimilarity.none(), 1.0, 0).size());
    assertEquals(1, Clustering.cluster(findings, (x, y) -> 0.5, 0.5, 0).size());
  }

  @Test
  void theQuorumCountsDistinctReviewersNotSamples() {
    List<Finding> oneAgentThreeSamples =
        List.of(
            finding("noisy", 0, "sql", 10, 10, "sql injection"),
            finding("noisy", 1, "sql", 10, 10, "sql injection"),
            finding("noisy", 2, "sql", 10, 10, "sql injection"));
    FindingCluster lonely = Clustering.decide(oneAgentThreeSamples, 2, 3);
    assertEquals(ClusterState.NO_QUORUM, lonely.state());
    assertEquals("only 1 of 3 reviewers reported it (noisy); quorum 2", lonely.reason());
    assertEquals(3, lonely.support().size());

    FindingCluster agreed =
        Clustering.decide(
            List.of(finding("a", 0, "sql", 10, 10, "sql injection"), finding("b", 0, "sql", 10, 10, "sql injection")), 2, 3);
    assertEquals(ClusterState.ACCEPTED, agreed.state());
    assertEquals(List.of("a", "b"), agreed.reviewers());
    assertEquals("2 of 3 reviewers reported it (a, b); quorum 2", agreed.reason());
  }

  @Test
  void theRepresentativeHasTheMostAgreedRangeAndTheBestSupportedMessage() {
    FindingCluster cluster =
        Clustering.decide(
            List.of(
                finding("noisy", 0, "sql", 14, 14, "Possible SQL injection (mentions query)"),
                finding("pattern", 0, "sql", 14, 14, "SQL injection: the query is built by string concatenation with caller input"),
                finding("semantic", 0, "sql", 13, 15, "User input is concatenated into the SQL query text: SQL injection"),
                finding("other", 0, "sql", 14, 14, "SQL query built by concatenation of user input")),
            2,
            4);

    assertEquals(14, cluster.startLine());
    assertEquals(14, cluster.endLine());
    assertEquals("SQL injection: the query is built by string concatenation with caller input", cluster.message());
  }

  @Test
  void exactDuplicatesFromOverlappingChunksAreSupportedOnce() {
    Finding once = finding("a", 0, "sql", 10, 10, "sql injection");
    FindingCluster cluster = Clustering.decide(List.of(once, once, finding("b", 0, "sql", 10, 10, "sql injection")), 2, 2);
    assertEquals(2, cluster.support().size());
  }

  @Test
  void theLineHashFollowsTheTextNotTheLineNumber() {
    String moved = Clustering.lineHash("svc", "app/db.py", "sql", "  q = 'a' +   name\n");
    assertEquals(Clustering.lineHash("svc", "app/db.py", "sql", "q = 'a' + name"), moved);
    assertNotEquals(moved, Clustering.lineHash("svc", "app/db.py", "secret", "q = 'a' + name"));
    assertNotEquals(moved, Clustering.lineHash("svc", "app/other.py", "sql", "q = 'a' + name"));
    assertTrue(moved.matches("[0-9a-f]{20}"), moved);
  }
}
