package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.LICENSE;
import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.testing.ReliabilityLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** findings.sarif: valid SARIF 2.1.0 by the official schema, and within GitHub's limits. */
class SarifTest {
  private static final List<Rule> RULES = List.of(SQL, SECRET, LICENSE);
  private static JsonSchema schema;

  @TempDir Path out;

  @BeforeAll
  static void loadSchema() throws IOException {
    schema = officialSchema();
  }

  /** The official SARIF 2.1.0 schema, from the test resources (see sarif/README.md there). */
  static JsonSchema officialSchema() throws IOException {
    try (InputStream in = SarifTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      JsonNode node = Json.MAPPER.readTree(in);
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(node);
    }
  }

  static FindingCluster reported(String target, String path, Rule rule, int line, String message) {
    return new FindingCluster(
            target, path, rule.id(), rule.severity(), line, line + 1, message, List.of("a", "b"),
            List.of(new FindingCluster.Support("a", 0, line, line + 1, message)),
            "x = 'a' + y\nrun(x)\n", "context\n", Math.max(1, line - 2),
            Clustering.lineHash(target, path, rule.id(), "line " + line), ClusterState.CONFIRMED,
            "2 of 2 reviewers reported it", new Verdict("skeptic", Verdict.CONFIRMED, "real", 3, ""), "", false)
        .withFingerprint(Clustering.lineHash(target, path, rule.id(), "line " + line) + ":1", true);
  }

  private static void assertValid(JsonNode log) {
    Set<ValidationMessage> errors = schema.validate(log);
    assertEquals(Set.of(), errors, "SARIF schema violations");
  }

  @Test
  void writesValidSarifWithRulesResultsLocationsAndFingerprints() throws IOException {
    List<FindingCluster> findings =
        List.of(
            reported("svc", "app/db.py", SQL, 14, "SQL injection: the query is concatenated"),
            reported("svc", "app/my files/ünïcode.py", SECRET, 3, "a <secret> & \"quotes\""),
            reported("docs", "notes.md", LICENSE, 12, "AGPL component"));

    Sarif.Written written = Sarif.write(out.toString(), "nightly", List.of("svc", "docs", "empty"), RULES, findings);

    assertEquals(List.of("findings.sarif"), written.files());
    assertEquals(3, written.runs(), "one run per target, also for a target without findings");
    JsonNode log = Json.MAPPER.readTree(Files.readString(out.resolve("findings.sarif")));
    assertValid(log);
    assertEquals("2.1.0", log.get("version").asText());
    JsonNode run = log.get("runs").get(0);
    assertEquals("Converge", run.at("/tool/driver/name").asText());
    assertEquals(3, run.at("/tool/driver/rules").size());
    assertEquals("8.0", run.at("/tool/driver/rules/0/properties/security-severity").asText());
    assertEquals("converge/nightly/svc/", run.at("/automationDetails/id").asText());
    JsonNode first = run.get("results").get(0);
    assertEquals("secret", first.get("ruleId").asText(), "most severe first");
    assertEquals(1, first.get("ruleIndex").asInt());
    assertEquals("error", first.get("level").asText());
    assertEquals("app/my%20files/%C3%BCn%C3%AFcode.py", first.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
    assertEquals(3, first.at("/locations/0/physicalLocation/region/startLine").asInt());
    assertEquals(4, first.at("/locations/0/physicalLocation/region/endLine").asInt());
    assertTrue(first.at("/partialFingerprints/" + Sarif.FINGERPRINT_KEY.replace("/", "~1")).asText().endsWith(":1"));
    assertEquals("a <secret> & \"quotes\"", first.at("/message/text").asText());
    assertEquals(0, log.get("runs").get(2).get("results").size());
    assertEquals("empty", log.get("runs").get(2).at("/properties/target").asText());
  }

  @Test
  void keysInFindingsAreNotPublishedAgain() throws IOException {
    String awsKey = "AKIAIOSFODNN7EXAMPLE";
    String openAiKey = "sk-proj-AbCdEf1234567890XyZ";
    FindingCluster finding = reported("svc", "app/config.py", SECRET, 3, "hard-coded key " + awsKey + " and " + openAiKey);
    FindingCluster withSnippet =
        new FindingCluster(
            finding.target(), finding.path(), finding.rule(), finding.severity(), finding.startLine(),
            finding.endLine(), finding.message(), finding.reviewers(), finding.support(),
            "KEY = '" + awsKey + "'\n", finding.context(), finding.contextStartLine(), finding.lineHash(),
            finding.state(), finding.reason(), finding.verdict(), finding.fingerprint(), finding.newFinding());

    Sarif.write(out.toString(), "nightly", List.of("svc"), RULES, List.of(withSnippet));

    String sarif = Files.readString(out.resolve(Sarif.FILE_NAME));
    assertTrue(!sarif.contains(awsKey) && !sarif.contains(openAiKey), sarif);
    assertTrue(sarif.contains("hard-coded key [redacted]"), sarif);
    assertValid(Json.MAPPER.readTree(sarif));
    ReliabilityLog.named("secrets-sarif").put("secretsPlanted", 2).put("leaks", 0).write();
  }

  @Test
  void splitsRunsAndFilesAtTheLimits() throws IOException {
    List<FindingCluster> findings = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      findings.add(reported("svc", "app/f" + i + ".py", SQL, i, "finding " + i));
    }
    List<ObjectNode> logs = Sarif.logs("nightly", List.of("svc", "docs"), RULES, findings, 2, 2);

    assertEquals(2, logs.size(), "3 runs of svc (2 + 2 + 1 results) and 1 of docs, 2 runs per file");
    Set<String> categories = new HashSet<>();
    int results = 0;
    for (ObjectNode log : logs) {
      assertValid(log);
      assertTrue(log.get("runs").size() <= 2);
      for (JsonNode run : log.get("runs")) {
        assertTrue(run.get("results").size() <= 2);
        results += run.get("results").size();
        assertTrue(categories.add(run.at("/automationDetails/id").asText()), "categories are distinct");
      }
    }
    assertEquals(5, results);
    assertEquals(
        Set.of("converge/nightly/svc/", "converge/nightly/svc/part-2/", "converge/nightly/svc/part-3/", "converge/nightly/docs/"),
        categories);
  }

  @Test
  void staysWithinGithubsLimitOfResultsPerRun() throws IOException {
    List<FindingCluster> findings = new ArrayList<>();
    FindingCluster one = reported("svc", "app/db.py", SQL, 1, "m");
    for (int i = 0; i < Sarif.MAX_RESULTS_PER_RUN + 1; i++) {
      findings.add(one);
    }
    Sarif.Written written = Sarif.write(out.toString(), "big", List.of("svc"), RULES, findings);
    assertEquals(2, written.runs());
    JsonNode log = Json.MAPPER.readTree(Files.readString(out.resolve("findings.sarif")));
    assertEquals(Sarif.MAX_RESULTS_PER_RUN, log.at("/runs/0/results").size());
    assertEquals(1, log.at("/runs/1/results").size());
  }

  @Test
  void anInvalidLogIsCaughtByTheSchema() {
    ObjectNode log = Sarif.logs("x", List.of("svc"), RULES, List.of(), 10, 10).get(0);
    ((ObjectNode) log.get("runs").get(0)).remove("tool");
    assertTrue(!schema.validate(log).isEmpty(), "the validator really checks");
  }

  @Test
  void pathsBecomeRelativeUriReferences() {
    assertEquals("a/b.py", Sarif.uri("a/b.py"));
    assertEquals("./c:d/e.md", Sarif.uri("c:d/e.md"));
    assertEquals("x%23y.md", Sarif.uri("x#y.md"));
  }
}
