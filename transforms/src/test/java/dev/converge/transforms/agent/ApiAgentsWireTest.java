package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI and Anthropic agents against a local server that speaks their real request and
 * response shapes, including error bodies and Retry-After. Waits run on a fake clock.
 */
class ApiAgentsWireTest {
  static final String KEY = "sk-test-Zq8v3Lr0SECRETvalue1234";

  @TempDir Path tmp;
  private Path repo;
  private Task task;
  private final FakeTime time = new FakeTime();
  private MockProvider server;

  /** A diff the model may answer with: changes a.txt from "one" to "two". */
  static final String EDIT_A =
      "Here is the change.\n\n```diff\n"
          + "diff --git a/a.txt b/a.txt\n"
          + "--- a/a.txt\n"
          + "+++ b/a.txt\n"
          + "@@ -1 +1 @@\n"
          + "-one\n"
          + "+two\n"
          + "```\n";

  @BeforeEach
  void setUp() throws Exception {
    repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n", "src/b.txt", "bee\n"));
    task =
        new Task(
            "t1", "repo", repo.toString(), base, "Replace one by two", List.of("a.txt"), "Count higher",
            "true", 30);
    server = new MockProvider(time::nowMillis);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiAgent openAi() {
    return OpenAiAgent.of("gpt", "gpt-4o-mini")
        .withBaseUrl(server.url() + "/v1")
        .withApiKeyEnv("TEST_OPENAI_KEY")
        .withSecrets(name -> name.equals("TEST_OPENAI_KEY") ? KEY : null)
        .withMaxTokens(1000)
        .withLimits(CallLimits.DEFAULT.withMaxAttempts(3));
  }

  private AnthropicAgent anthropic() {
    return AnthropicAgent.of("claude", "claude-sonnet-4-5")
        .withBaseUrl(server.url())
        .withSecrets(name -> name.equals(AnthropicAgent.DEFAULT_KEY_VARIABLE) ? KEY : null)
        .withLimits(CallLimits.DEFAULT.withMaxAttempts(3));
  }

  private Candidate runOne(Agent agent) {
    return Engine.of(tmp.resolve("work"), agent)
        .time(time)
        .prices(Map.of("gpt-4o-mini", new Price(0.15, 0.60), "claude-sonnet-4-5", new Price(3, 15)))
        .runOne(task);
  }

  @Test
  void openAiRequestAndAnswerHaveTheChatCompletionsShape() throws Exception {
    server.then(200, MockProvider.openAiAnswer(EDIT_A, 1200, 80));

    Candidate c = runOne(openAi());

    assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
    assertTrue(c.patch().contains("diff --git a/a.txt b/a.txt"), c.patch());
    assertTrue(c.patch().contains("+two"), c.patch());
    assertEquals("openai", c.agentKind());
    assertEquals("gpt-4o-mini-2024-07-18", c.model());
    assertEquals(1200, c.inputTokens());
    assertEquals(80, c.outputTokens());
    assertEquals((1200 * 0.15 + 80 * 0.60) / 1e6, c.costUsd(), 1e-12);
    assertEquals(1, c.attempts());

    MockProvider.Request request = server.requests().get(0);
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.header("Authorization"));
    assertTrue(request.header("Content-Type").startsWith("application/json"));
    JsonNode body = Json.MAPPER.readTree(request.body());
    assertEquals("gpt-4o-mini", body.path("model").asText());
    assertEquals(1000, body.path("max_tokens").asInt());
    assertEquals("system", body.path("messages").path(0).path("role").asText());
    assertEquals(PromptBuilder.SYSTEM, body.path("messages").path(0).path("content").asText());
    assertEquals("user", body.path("messages").path(1).path("role").asText());
    String user = body.path("messages").path(1).path("content").asText();
    assertTrue(user.contains("Goal of the job: Count higher"), user);
    assertTrue(user.contains("Task t1:\nReplace one by two"), user);
    assertTrue(user.contains("=== a.txt ===\n```\none\n```"), user);
    assertTrue(user.contains("Files at commit " + task.baseCommit()), user);
    assertFalse(user.contains("bee"), "files outside the task's scope are not sent: " + user);
  }

  @Test
  void anthropicRequestAndAnswerHaveTheMessagesShape() throws Exception {
    server.then(200, MockProvider.anthropicAnswer(EDIT_A, 900, 70));

    Candidate c = runOne(anthropic());

    assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
    assertTrue(c.patch().contains("+two"), c.patch());
    assertEquals("anthropic", c.agentKind());
    assertEquals(900, c.inputTokens());
    assertEquals(70, c.outputTokens());
    assertEquals((900 * 3.0 + 70 * 15.0) / 1e6, c.costUsd(), 1e-12);

    MockProvider.Request request = server.requests().get(0);
    assertEquals("/v1/messages", request.path());
    assertEquals(KEY, request.header("x-api-key"));
    assertEquals("2023-06-01", request.header("anthropic-version"));
    JsonNode body = Json.MAPPER.readTree(request.body());
    assertEquals("claude-sonnet-4-5", body.path("model").asText());
    assertEquals(AnthropicAgent.DEFAULT_MAX_TOKENS, body.path("max_tokens").asLong());
    assertEquals(PromptBuilder.SYSTEM, body.path("system").asText());
    assertEquals("user", body.path("messages").path(0).path("role").asText());
    assertTrue(body.path("messages").path(0).path("content").asText().contains("Replace one by two"));
  }

  @Test
  void a429WithRetryAfterIsWaitedOutBeforeTheRetry() {
    server
        .then(
            429,
            Map.of("retry-after", "7"),
            MockProvider.openAiError(
                "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.",
                "requests",
                "rate_limit_exceeded"))
        .then(200, MockProvider.openAiAnswer(EDIT_A, 10, 10));

    Candidate c = runOne(openAi());

    assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
    assertEquals(2, c.attempts());
    List<MockProvider.Request> requests = server.requests();
    assertEquals(2, requests.size());
    long waited = requests.get(1).atMillis() - requests.get(0).atMillis();
    assertTrue(waited >= 7000, "retried after " + waited + " ms, before the 7 s the server asked for");
    assertTrue(waited <= 7000 + 700, "waited " + waited + " ms, far more than asked");
    assertEquals(1, time.sleeps().size(), time.sleeps().toString());
  }

  @Test
  void anthropicOverloadWithRetryAfterIsRetried() {
    server
        .then(529, Map.of("retry-after", "3"), MockProvider.anthropicError("overloaded_error", "Overloaded"))
        .then(200, MockProvider.anthropicAnswer(EDIT_A, 10, 10));

    Candidate c = runOne(anthropic());

    assertEquals(CandidateStatus.PRODUCED, c.status(), c.toString());
    List<MockProvider.Request> requests = server.requests();
    assertTrue(requests.get(1).atMillis() - requests.get(0).atMillis() >= 3000);
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoffUntilTheCallFails() {
    for (int i = 0; i < 3; i++) {
      server.then(500, MockProvider.openAiError("The server had an error while processing your request.", "server_error", "server_error"));
    }

    Candidate c = runOne(openAi());

    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertEquals(
        "openai HTTP 500: The server had an error while processing your request. (server_error) (after 3 attempts)",
        c.reason());
    assertEquals(3, c.attempts());
    assertEquals(3, server.requests().size());
    List<Duration> sleeps = time.sleeps();
    assertEquals(2, sleeps.size(), sleeps.toString());
    // equal jitter: the n-th wait is between half and all of 1 s * 2^(n-1)
    assertTrue(sleeps.get(0).toMillis() >= 500 && sleeps.get(0).toMillis() <= 1000, sleeps.toString());
    assertTrue(sleeps.get(1).toMillis() >= 1000 && sleeps.get(1).toMillis() <= 2000, sleeps.toString());
  }

  @Test
  void aBadKeyIsNotRetriedAndTheEchoedKeyIsRedacted() {
    server.then(
        401,
        MockProvider.openAiError(
            "Incorrect API key provided: " + KEY + ". You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key"));

    Candidate c = runOne(openAi());

    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertTrue(c.reason().startsWith("openai HTTP 401: Incorrect API key provided: [redacted]"), c.reason());
    assertFalse(Json.line(c).contains(KEY), Json.line(c));
    assertFalse(Json.line(c).contains("SECRET"), Json.line(c));
    assertEquals(1, server.requests().size());
    assertEquals(List.of(), time.sleeps());
  }

  @Test
  void aMissingKeyVariableFailsWithoutARequest() {
    Candidate c = runOne(openAi().withSecrets(name -> null));
    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertEquals("openai: the API key variable TEST_OPENAI_KEY is not set", c.reason());
    assertEquals(0, server.requests().size());
  }

  @Test
  void aResponseThatIsNotJsonFailsTheCandidateWithAClearReason() {
    server.then(200, "<html><body>502 Bad Gateway</body></html>");
    Candidate c = runOne(openAi());
    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertEquals(
        "malformed output: openai answered with invalid JSON: <html><body>502 Bad Gateway</body></html>",
        c.reason());
    assertEquals(1, server.requests().size(), "a malformed answer is not retried");
  }

  @Test
  void aResponseWithoutAMessageFailsTheCandidate() {
    server.then(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}");
    Candidate c = runOne(openAi());
    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertEquals("malformed output: openai answered without a message (no choices)", c.reason());
  }

  @Test
  void anAnswerWithoutADiffFailsTheCandidate() {
    server.then(200, MockProvider.openAiAnswer("I would replace one by two.", 10, 10));
    Candidate c = runOne(openAi());
    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertEquals("malformed output: the answer holds no diff", c.reason());
    assertTrue(c.logTail().contains("I would replace one by two."), c.logTail());
  }

  @Test
  void aDiffThatDoesNotApplyFailsTheCandidate() {
    String wrong = "```diff\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-three\n+four\n```\n";
    server.then(200, MockProvider.anthropicAnswer(wrong, 10, 10));
    Candidate c = runOne(anthropic());
    assertEquals(CandidateStatus.AGENT_FAILED, c.status());
    assertTrue(c.reason().startsWith("malformed output: the diff does not apply: "), c.reason());
    assertTrue(c.reason().contains("a.txt"), c.reason());
  }

  @Test
  void anEmptyDiffBlockMeansNoChange() {
    server.then(200, MockProvider.openAiAnswer("Nothing to do.\n```diff\n```", 10, 3));
    Candidate c = runOne(openAi());
    assertEquals(CandidateStatus.NO_CHANGE, c.status(), c.toString());
    assertEquals("made no change", c.reason());
  }
}
