package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.reduce.ReduceConflicts;
import dev.converge.transforms.report.Summaries;
import dev.converge.transforms.report.WriteResults;
import dev.converge.transforms.report.board.Board;
import dev.converge.transforms.report.board.BoardFiles;
import dev.converge.transforms.testing.FinishedJobs;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.testing.ReliabilityLog;
import dev.converge.transforms.vote.MajorityVote;
import dev.converge.transforms.vote.VoteOnCandidates;
import dev.converge.transforms.workspace.TestCandidates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets planted everywhere an agent or provider can put text: the API key (not shaped like one,
 * so only its value can find it) echoed in a provider's error bodies and answer, a secret the spec
 * grants a command agent printed on its stdout and stderr, and strings shaped like common keys
 * (OpenAI, Anthropic, AWS, GitHub, Slack, Google, a bearer token) in error bodies, answers, agent
 * output and test output. After a whole change pipeline with the cache and a recording, no file of
 * the output folder (results, summary, board), the cache or the cassette holds any of them.
 */
class SecretsLeakTest {
  private static final String API_KEY = "convergeKey-Zq8v3Lr0SECRETvalue1234";
  private static final String GRANTED_TOKEN = "granted-4c3b2a1f0e9d";
  private static final List<String> KEY_SHAPED =
      List.of(
          "sk-proj-AbCdEf1234567890XyZ",
          "sk-ant-api03-AbCdEf1234567890",
          "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
          "AKIAIOSFODNN7EXAMPLE",
          "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
          "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
          "xoxb-123456789012-abcdefghijkl",
          "AIzaSyA-1234567890abcdefghijklmnopqrstu");

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static String planted() {
    return String.join(" ", KEY_SHAPED);
  }

  @Test
  void noPlantedSecretReachesAnyOutputFile() throws Exception {
    Path repo = tmp.resolve("repo");
    // The test prints them too, from a script of the repository (the task itself must not name them).
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n", "print-keys.sh", "echo " + planted() + "\n"));
    List<Task> tasks =
        List.of(GitRepos.task("t1", repo, base, "sh print-keys.sh; true", 30), GitRepos.task("t2", repo, base));
    Path out = tmp.resolve("out");
    Path cache = tmp.resolve("cache");
    Path cassette = tmp.resolve("calls.cassette.jsonl");
    String printSecrets = "echo " + planted() + " $SERVICE_TOKEN " + API_KEY + "; echo " + planted() + " $SERVICE_TOKEN >&2";

    try (MockProvider server = new MockProvider(() -> 0L)) {
      server
          .then(401, MockProvider.openAiError("Incorrect API key provided: " + API_KEY + " " + planted(), "invalid_request_error", "invalid_api_key"))
          .then(500, MockProvider.openAiError("upstream failed for key " + API_KEY + " " + planted(), "server_error", "x"))
          .then(200, MockProvider.openAiAnswer("Your key " + API_KEY + " and " + planted() + "\n" + ApiAgentsWireTest.EDIT_A, 10, 10));
      List<Agent> agents =
          List.of(
              OpenAiAgent.of("gpt", "gpt-4o-mini")
                  .withBaseUrl(server.url() + "/v1")
                  .withApiKeyEnv("LEAK_TEST_KEY")
                  .withSecrets(name -> API_KEY)
                  .withLimits(CallLimits.DEFAULT.withConcurrency(1).withMaxAttempts(2)),
              CommandAgent.of("noisy", List.of("sh", "-c", printSecrets + "; echo two > a.txt"))
                  .withEnv(Map.of("SERVICE_TOKEN", GRANTED_TOKEN)),
              CommandAgent.of("crasher", List.of("sh", "-c", printSecrets + "; exit 3"))
                  .withEnv(Map.of("SERVICE_TOKEN", GRANTED_TOKEN)));
      String work = tmp.resolve("work").toString();
      pipeline
          .apply(Create.of(tasks).withCoder(JsonCoder.of(Task.class)))
          .apply(
              ImplementTasks.with(agents)
                  .withWorkDir(work)
                  .withCache(cache.toString())
                  .withRecording(cassette.toString())
                  .withTimeSource(new FakeTime()))
          .apply(TestCandidates.inWorkDir(work))
          .apply(VoteOnCandidates.using(MajorityVote.create()))
          .apply(ReduceConflicts.inWorkDir(work))
          .get(ReduceConflicts.OUTCOMES)
          .apply(WriteResults.to(out.toString()));
      pipeline.run().waitUntilFinish();
      assertEquals("Bearer " + API_KEY, server.requests().get(0).header("Authorization"), "the key was used");
      assertEquals(3, server.requests().size(), "every scripted answer was given");
    }
    Summaries.Finished finished = FinishedJobs.finish(out.toString(), "secrets", "direct", tasks, 1);
    BoardFiles.write(out.toString(), Board.ended(finished.summary(), finished.outcomes()));

    List<String> secrets = new ArrayList<>(KEY_SHAPED);
    secrets.add(API_KEY);
    secrets.add(GRANTED_TOKEN);
    List<Path> files = new ArrayList<>();
    for (Path root : List.of(out, cache, cassette)) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    List<String> leaks = new ArrayList<>();
    int redactions = 0;
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      secrets.stream().filter(text::contains).forEach(s -> leaks.add(file + " holds " + s));
      redactions += text.split("\\[redacted]", -1).length - 1;
    }
    assertEquals(List.of(), leaks);
    assertTrue(redactions > 0, "nothing was planted where the outputs could see it");
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals(BoardFiles.FILE_NAME)));
    ReliabilityLog.named("secrets")
        .put("secretsPlanted", secrets.size())
        .put("filesScanned", files.size())
        .put("redactionsFound", redactions)
        .put("leaks", 0)
        .write();
  }
}
