package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gs:// end to end on the Direct Runner, against a fake GCS server on 127.0.0.1: the spec and its
 * targets list are read from a bucket, and patches, results, summary, board and the agent answer
 * cache are written to one.
 * (FlinkClusterIT does the same with the outputs written by Flink's TaskManagers.)
 */
class GcsRoundTripTest {
  private static final String BUCKET = "gs://converge-test";
  private static final String SPEC = BUCKET + "/jobs/multi/multi.yaml";
  private static final String OUT = BUCKET + "/runs/first";

  @TempDir static Path tmp;
  private static FakeGcsServer gcs;
  private static MultiRepoFixture fixture;

  @BeforeAll
  static void upload() throws Exception {
    gcs = FakeGcsServer.start();
    fixture = MultiRepoFixture.create(tmp.resolve("job"), 2, 2, 0);
    gcs.put(SPEC, Files.readString(fixture.spec));
    gcs.put(BUCKET + "/jobs/multi/repos.txt", Files.readString(fixture.list));
  }

  @AfterAll
  static void stop() {
    if (gcs != null) {
      gcs.close();
    }
  }

  private static int run(String out) {
    return Converge.execute(
        "run", SPEC,
        "--out", out,
        "--gcs-endpoint", gcs.endpoint(),
        "--cache", BUCKET + "/cache",
        "--work-dir", tmp.resolve("work").toString(),
        "--parallelism", "4");
  }

  @Test
  void specAndListAreReadFromTheBucketAndEveryOutputIsWrittenToIt() throws Exception {
    assertEquals(Converge.EXIT_OK, run(OUT), "converge run exit code; requests: " + gcs.requests());

    List<String> lines = resultLines(OUT);
    assertEquals(fixture.taskCount(), lines.size(), String.join("\n", lines));
    Map<String, String> states = states(lines);
    JsonNode summary = Json.MAPPER.readTree(gcs.read(OUT + "/summary.json").orElseThrow());
    assertEquals(fixture.taskCount(), summary.get("tasks").asInt());
    int merged = summary.get("states").get("merged").asInt();
    assertTrue(merged > 0, "some task merges: " + states);
    for (Map.Entry<String, String> task : states.entrySet()) {
      boolean hasPatch = gcs.read(OUT + "/patches/" + task.getKey() + ".patch").isPresent();
      assertEquals(task.getValue().equals("merged"), hasPatch, task + " and its patch: " + gcs.objects());
    }
    assertTrue(gcs.read(OUT + "/board.html").isPresent(), "board.html in the bucket: " + gcs.objects());
    assertNoTemporaryObjects();

    assertTrue(
        gcs.objects().stream().anyMatch(o -> o.startsWith(BUCKET + "/cache/")),
        "agent answers cached in the bucket: " + gcs.objects());

    // The same job again into the same folder replaces every file: nothing is duplicated, and
    // every agent answer comes from the cache in the bucket.
    List<String> before = gcs.objects();
    assertEquals(Converge.EXIT_OK, run(OUT));
    assertEquals(before, gcs.objects());
    assertEquals(states, states(resultLines(OUT)));
    assertNoTemporaryObjects();
    JsonNode again = Json.MAPPER.readTree(gcs.read(OUT + "/summary.json").orElseThrow());
    assertEquals(again.get("candidates").asInt(), again.get("cacheHits").asInt(), again.toString());
  }

  @Test
  void aLocalSpecMayNameATargetsListInTheBucket() throws Exception {
    gcs.put(BUCKET + "/lists/repos.txt", Files.readString(fixture.list));
    Path spec = tmp.resolve("local-spec.yaml");
    Files.writeString(
        spec,
        Files.readString(fixture.spec).replace("- list: repos.txt", "- list: " + BUCKET + "/lists/repos.txt"));
    Path out = tmp.resolve("local-out");
    int exit =
        Converge.execute(
            "run", spec.toString(), "--out", out.toString(), "--gcs-endpoint", gcs.endpoint(),
            "--work-dir", tmp.resolve("work").toString());
    assertEquals(Converge.EXIT_OK, exit);
    assertEquals(fixture.taskCount(), Files.readAllLines(out.resolve("results.jsonl")).size());
  }

  @Test
  void aRemoteSpecMustNotNameRepositoriesRelativeToItself() throws Exception {
    String spec = BUCKET + "/jobs/relative/spec.yaml";
    gcs.put(spec, Files.readString(fixture.spec).replace("- list: repos.txt", "- path: repos/service-01"));
    int exit =
        Converge.execute("run", spec, "--out", BUCKET + "/runs/relative",
            "--gcs-endpoint", gcs.endpoint());
    assertEquals(Converge.EXIT_BAD_INPUT, exit);
    assertFalse(gcs.read(BUCKET + "/runs/relative/results.jsonl").isPresent());
  }

  private static List<String> resultLines(String out) {
    String text = gcs.read(out + "/results.jsonl").orElseThrow(() -> new AssertionError("no results.jsonl in " + gcs.objects()));
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static Map<String, String> states(List<String> lines) throws Exception {
    Map<String, String> states = new TreeMap<>();
    for (String line : lines) {
      JsonNode node = Json.MAPPER.readTree(line);
      states.put(node.get("task").get("id").asText(), node.get("state").asText());
    }
    return states;
  }

  private static void assertNoTemporaryObjects() {
    for (String object : gcs.objects()) {
      assertFalse(object.contains(".temp-beam") || object.endsWith(".tmp"), "left behind: " + object);
    }
  }
}
