package dev.converge.transforms.review;

import static dev.converge.transforms.review.ReviewFixtures.SECRET;
import static dev.converge.transforms.review.ReviewFixtures.SQL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command contract: environment, standard input, answer on stdout and log on stderr. */
class CommandReviewAgentTest {
  @TempDir Path dir;

  @Test
  void aReviewerGetsTheChunkAndItsContextAndAnswersOnStandardOutput() throws Exception {
    String script =
        "echo \"diagnostics for $CONVERGE_FILE\" >&2; "
            + "printf '{\"file\":\"%s\",\"target\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"lines\":\"%s\",\"sample\":\"%s\",\"agent\":\"%s\",\"mode\":\"%s\",\"goal\":\"%s\",\"flag\":\"%s\",\"stdin\":\"%s\"}' "
            + "\"$CONVERGE_FILE\" \"$CONVERGE_TARGET\" \"$CONVERGE_CHUNK_START\" \"$CONVERGE_CHUNK_END\" \"$CONVERGE_FILE_LINES\" "
            + "\"$CONVERGE_SAMPLE\" \"$CONVERGE_AGENT_ID\" \"$CONVERGE_MODE\" \"$CONVERGE_GOAL\" \"$MY_FLAG\" \"$(wc -l | tr -d ' ')\"; "
            + "echo; echo \"$CONVERGE_RULES\"";
    CommandReviewAgent agent =
        CommandReviewAgent.of("careful", List.of("sh", "-c", script))
            .withTimeout(Duration.ofSeconds(30))
            .withEnv(Map.of("MY_FLAG", "on"));

    ReviewAgent.Reply reply =
        agent.review(ReviewFixtures.chunk("app/db.py", 3, 7, List.of(SQL, SECRET)), 2, "be strict", Files.createDirectories(dir.resolve("call")));

    assertEquals(0, reply.exitCode());
    String[] lines = reply.answer().strip().split("\n");
    JsonNode env = Json.MAPPER.readTree(lines[0]);
    assertEquals("app/db.py", env.get("file").asText());
    assertEquals("svc", env.get("target").asText());
    assertEquals("3", env.get("start").asText());
    assertEquals("7", env.get("end").asText());
    assertEquals("7", env.get("lines").asText());
    assertEquals("2", env.get("sample").asText());
    assertEquals("careful", env.get("agent").asText());
    assertEquals("review", env.get("mode").asText());
    assertEquals("be strict", env.get("goal").asText());
    assertEquals("on", env.get("flag").asText());
    assertEquals("5", env.get("stdin").asText(), "the chunk's five lines on standard input");
    JsonNode rules = Json.MAPPER.readTree(lines[1]);
    assertEquals("sql", rules.get(0).get("id").asText());
    assertEquals("use bound parameters", rules.get(0).get("description").asText());
    assertEquals("critical", rules.get(1).get("severity").asText());
    assertEquals("diagnostics for app/db.py\n", reply.log(), "standard error is the log, not the answer");
  }

  @Test
  void aVerifierGetsTheFindingAndItsContext() throws Exception {
    String script = "printf '%s|%s|%s|%s|' \"$CONVERGE_MODE\" \"$CONVERGE_START_LINE\" \"$CONVERGE_CONTEXT_START\" \"$(cat)\"; "
        + "echo \"$CONVERGE_FINDING\"; echo \"$CONVERGE_RULE\"";
    FindingCluster cluster =
        Clustering.decide(List.of(ReviewFixtures.finding("a", 0, "sql", 12, 12, "concatenated")), 1, 1);

    ReviewAgent.Reply reply =
        CommandReviewAgent.of("skeptic", List.of("sh", "-c", script)).verify(cluster, SQL, "", Files.createDirectories(dir.resolve("v")));

    String[] parts = reply.answer().split("\n");
    assertEquals("verify|12|12|line 12|", parts[0].substring(0, parts[0].indexOf('{')));
    JsonNode finding = Json.MAPPER.readTree(parts[0].substring(parts[0].indexOf('{')));
    assertEquals("concatenated", finding.get("message").asText());
    assertEquals("a", finding.get("reviewers").get(0).asText());
    assertEquals("SQL from strings", Json.MAPPER.readTree(parts[1]).get("title").asText());
  }

  @Test
  void aCrashIsAnExitCodeAndATimeoutIsReported() throws Exception {
    ReviewAgent.Reply crash =
        CommandReviewAgent.of("x", List.of("sh", "-c", "echo oops >&2; exit 4"))
            .review(ReviewFixtures.chunk("a.py", 1, 1, List.of(SQL)), 0, "", Files.createDirectories(dir.resolve("c")));
    assertEquals(4, crash.exitCode());
    assertEquals("oops\n", crash.log());

    ReviewAgent.Reply slow =
        CommandReviewAgent.of("x", List.of("sleep", "30"))
            .withTimeout(Duration.ofMillis(300))
            .review(ReviewFixtures.chunk("a.py", 1, 1, List.of(SQL)), 0, "", Files.createDirectories(dir.resolve("s")));
    assertTrue(slow.timedOut());

    ReviewAgent.Reply missing =
        CommandReviewAgent.of("x", List.of("/nonexistent/reviewer"))
            .review(ReviewFixtures.chunk("a.py", 1, 1, List.of(SQL)), 0, "", Files.createDirectories(dir.resolve("m")));
    assertTrue(missing.exitCode() != 0);
    assertTrue(missing.log().contains("nonexistent"), missing.log());
  }
}
