package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review whose outputs and state file are in a bucket (a fake GCS server on 127.0.0.1): the
 * second run reads the state from gs:// and reviews nothing that has not changed.
 */
class ReviewStateOnGcsTest {
  private static final String STATE = "gs://converge-review/state/review-state.json";

  @TempDir Path tmp;

  @Test
  void theStateFileMayLiveInABucket() throws Exception {
    Path spec = ReviewDemo.materialize(ReviewDemo.examples(), tmp.resolve("input"));
    try (FakeGcsServer gcs = FakeGcsServer.start()) {
      for (String night : new String[] {"first", "second"}) {
        int exit =
            Converge.execute(
                "review", spec.toString(),
                "--out", "gs://converge-review/runs/" + night,
                "--state", STATE,
                "--gcs-endpoint", gcs.endpoint(),
                "--work-dir", tmp.resolve("work").toString());
        assertEquals(Converge.EXIT_OK, exit, night + " run; requests: " + gcs.requests());
      }
      JsonNode state = Json.MAPPER.readTree(gcs.read(STATE).orElseThrow());
      assertEquals(9, state.get("files").size());
      JsonNode first = Json.MAPPER.readTree(gcs.read("gs://converge-review/runs/first/summary.json").orElseThrow());
      JsonNode second = Json.MAPPER.readTree(gcs.read("gs://converge-review/runs/second/summary.json").orElseThrow());
      assertEquals(30, first.get("reviewerCalls").asInt());
      assertEquals(0, second.get("reviewerCalls").asInt(), "nothing changed since the state in the bucket");
      assertEquals(4, second.get("findings").asInt());
      assertTrue(gcs.read("gs://converge-review/runs/second/findings.sarif").isPresent(), gcs.objects().toString());
    }
  }
}
