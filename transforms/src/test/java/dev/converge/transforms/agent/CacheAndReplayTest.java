package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed cache, the cassette and replay, and keys staying out of all of them. */
class CacheAndReplayTest {
  static final String KEY = ApiAgentsWireTest.KEY;

  @TempDir Path tmp;
  private Path repo;
  private List<Task> tasks;
  private MockProvider server;
  private final FakeTime time = new FakeTime();

  @BeforeEach
  void setUp() throws IOException {
    repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    tasks = new ArrayList<>();
    for (String id : List.of("t1", "t2")) {
      tasks.add(new Task(id, "repo", repo.toString(), base, "Replace one by two", List.of("a.txt"), "", "true", 30));
    }
    server = new MockProvider(time::nowMillis);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<Agent> agents() {
    return List.of(
        SimulatedAgent.of("sim").withSeed(3).withWrongRate(0.5),
        CommandAgent.of("cmd", List.of("sh", "-c", "echo two > a.txt; echo done")),
        OpenAiAgent.of("gpt", "gpt-4o-mini")
            .withBaseUrl(server.url() + "/v1")
            .withSecrets(name -> KEY));
  }

  private List<Candidate> run(Path cache, Path cassette, List<Agent> agents) {
    Engine engine = Engine.of(tmp.resolve("work"), agents.toArray(Agent[]::new)).time(time).cache(cache);
    if (cassette != null) {
      engine.record(cassette);
    }
    return engine.run(tasks, 2);
  }

  private void scriptAnswers(int count) {
    for (int i = 0; i < count; i++) {
      server.then(200, MockProvider.openAiAnswer(ApiAgentsWireTest.EDIT_A, 100, 20));
    }
  }

  @Test
  void aRerunAnswersEverythingFromTheCacheWithTheRecordedCandidates() {
    scriptAnswers(4);
    Path cache = tmp.resolve("cache");
    List<Candidate> first = run(cache, null, agents());
    assertTrue(first.stream().allMatch(Candidate::calledAgent), first.toString());
    assertEquals(4, server.requests().size());

    List<Candidate> second = run(cache, null, agents());

    assertEquals(4, server.requests().size(), "no request on the re-run");
    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertTrue(second.get(i).cached());
      assertFalse(second.get(i).calledAgent());
      assertEquals(first.get(i).asCached(), second.get(i), "everything as recorded, durations included");
    }
  }

  @Test
  void anotherSampleOrChangedInputsAreMisses() {
    scriptAnswers(4);
    Path cache = tmp.resolve("cache");
    run(cache, null, List.of(agents().get(0)));
    Engine engine = Engine.of(tmp.resolve("work"), agents().get(0)).time(time).cache(cache);
    List<Candidate> more = engine.run(tasks, 3);
    assertEquals(2, more.stream().filter(c -> !c.cached()).count(), "only sample 2 of each task is new");

    Task changed = new Task("t1", "repo", repo.toString(), tasks.get(0).baseCommit(), "Replace one by three",
        List.of("a.txt"), "", "true", 30);
    assertFalse(Engine.of(tmp.resolve("work"), agents().get(0)).time(time).cache(cache).runOne(changed).cached());
  }

  @Test
  void failedCallsAreNotCachedSoARerunRetriesThem() {
    SimulatedAgent timingOut =
        SimulatedAgent.of("slow")
            .withErrors(new SimulatedAgent.ErrorRates(0, 0, 1, 0))
            .withLimits(CallLimits.DEFAULT.withMaxAttempts(2).withTimeout(Duration.ofSeconds(5)));
    Path cache = tmp.resolve("cache");
    Candidate first = Engine.of(tmp.resolve("work"), timingOut).time(time).cache(cache).runOne(tasks.get(0));
    assertEquals(CandidateStatus.AGENT_FAILED, first.status());
    assertEquals("simulated: no answer within 5 s (timeout) (after 2 attempts)", first.reason());
    Candidate again = Engine.of(tmp.resolve("work"), timingOut).time(time).cache(cache).runOne(tasks.get(0));
    assertFalse(again.cached());
    assertTrue(again.calledAgent());
  }

  @Test
  void aReplayAgentAnswersWhatWasRecorded() throws IOException {
    scriptAnswers(4);
    Path cassette = tmp.resolve("calls.jsonl");
    List<Candidate> recorded = run(tmp.resolve("cache"), cassette, agents());
    assertEquals(12, Files.readAllLines(cassette).size(), "one line per live call");

    List<Agent> replays = new ArrayList<>();
    for (Agent agent : agents()) {
      replays.add(ReplayAgent.of(agent.id(), cassette));
    }
    List<Candidate> replayed = Engine.of(tmp.resolve("work"), replays.toArray(Agent[]::new)).time(time).run(tasks, 2);

    assertEquals(4, server.requests().size(), "replay calls nobody");
    for (int i = 0; i < recorded.size(); i++) {
      Candidate live = recorded.get(i);
      Candidate replay = replayed.get(i);
      assertEquals("replay", replay.agentKind());
      assertEquals(live.status(), replay.status(), replay.toString());
      assertEquals(live.patch(), replay.patch());
      assertEquals(live.patchHash(), replay.patchHash());
      assertEquals(live.tokens(), replay.tokens());
      assertEquals(0, replay.costUsd());
    }
  }

  @Test
  void aReplayOfACallThatWasNotRecordedFails() throws IOException {
    Path cassette = tmp.resolve("calls.jsonl");
    run(tmp.resolve("cache"), cassette, List.of(agents().get(0)));
    Candidate missing =
        Engine.of(tmp.resolve("work"), ReplayAgent.of("other", cassette)).time(time).runOne(tasks.get(0));
    assertEquals(CandidateStatus.AGENT_FAILED, missing.status());
    assertEquals("replay: the cassette has no call of other on t1 sample 0", missing.reason());
  }

  @Test
  void keysNeverReachCandidatesCacheFilesOrCassettes() throws IOException {
    scriptAnswers(3);
    server.then(
        401,
        MockProvider.openAiError("Incorrect API key provided: " + KEY, "invalid_request_error", "invalid_api_key"));
    Path cassette = tmp.resolve("calls.jsonl");
    List<Candidate> candidates = run(tmp.resolve("cache"), cassette, agents());

    assertTrue(candidates.stream().anyMatch(c -> c.reason().contains("HTTP 401")), candidates.toString());
    assertEquals("Bearer " + KEY, server.requests().get(0).header("Authorization"), "the key was really sent");
    for (Candidate c : candidates) {
      assertFalse(Json.line(c).contains("SECRET"), Json.line(c));
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("SECRET"), "the key is in " + file);
      }
    }
  }
}
