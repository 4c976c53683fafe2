package dev.converge.transforms.report;

import dev.converge.transforms.testing.FinishedJobs;

import static dev.converge.transforms.testing.CandidateFixtures.agentFailed;
import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummariesTest {
  @TempDir Path out;

  private static Task task(String id) {
    return new Task(id, "repo", "/repo", "0".repeat(40), "do " + id, List.of(), "", "true", 30);
  }

  private static Outcome outcome(String id, TaskState state, Candidate... candidates) {
    return new Outcome(task(id), state, state.label() + " because", List.of(candidates), List.of(), "");
  }

  private void writeResults(Outcome... outcomes) throws IOException {
    String lines =
        java.util.Arrays.stream(outcomes).map(Json::line).collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(out.resolve(WriteResults.FILE_NAME), lines, StandardCharsets.UTF_8);
  }

  private List<String> resultIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(WriteResults.FILE_NAME))) {
      ids.add(Json.MAPPER.readValue(line, Outcome.class).task().id());
    }
    return ids;
  }

  /** What JobLauncher does when a job ends: the sorted results, then the summary. */
  private Summaries.Finished finish(List<Task> planned, double wallSeconds) throws IOException {
    return FinishedJobs.finish(out.toString(), "spec", "local", planned, wallSeconds);
  }

  private static int sumOfStates(Summary summary) {
    return summary.states().values().stream().mapToInt(Integer::intValue).sum();
  }

  @Test
  void plannedTaskWithoutResultIsAddedAsFailed() throws IOException {
    writeResults(
        outcome("t3", TaskState.REJECTED, tested(produced("t3", "a", 0, "p\n"), TestStatus.FAILED)),
        outcome("t1", TaskState.MERGED, tested(produced("t1", "a", 0, "q\n"), TestStatus.PASSED)));
    List<Task> planned = List.of(task("t1"), task("t2"), task("t3"));

    Summaries.Finished finished = finish(planned, 1.5);

    assertEquals(
        List.of("t1", "t2", "t3"),
        finished.outcomes().stream().map(o -> o.task().id()).toList());
    Outcome lost = finished.outcomes().get(1);
    assertEquals(TaskState.FAILED, lost.state());
    assertEquals(task("t2"), lost.task());
    assertTrue(lost.reason().contains("no result"), lost.reason());

    Summary summary = finished.summary();
    assertEquals(3, summary.tasks());
    assertEquals(summary.tasks(), sumOfStates(summary));
    assertEquals(1, summary.count(TaskState.MERGED));
    assertEquals(1, summary.count(TaskState.REJECTED));
    assertEquals(1, summary.count(TaskState.FAILED));
    assertEquals(0, summary.count(TaskState.CONFLICT));
    assertEquals(2, summary.candidates());
    assertEquals("spec", summary.spec());
    assertEquals("local", summary.runner());
  }

  @Test
  void summaryCountsAddUpAndAreWrittenToSummaryJson() throws IOException {
    writeResults(
        outcome("b", TaskState.CONFLICT),
        outcome("a", TaskState.MERGED),
        outcome("d", TaskState.FAILED, agentFailed("d", "x", 0, "exited with code 3")),
        outcome("c", TaskState.REJECTED),
        outcome("e", TaskState.MERGED));
    List<Task> planned = List.of(task("a"), task("b"), task("c"), task("d"), task("e"));

    Summary summary = finish(planned, 0.1234).summary();

    assertEquals(5, summary.tasks());
    assertEquals(5, sumOfStates(summary));
    assertEquals(
        Map.of("merged", 2, "rejected", 1, "conflict", 1, "failed", 1), summary.states());
    assertEquals(0.123, summary.wallSeconds());
    Summary written =
        Json.MAPPER.readValue(
            Files.readString(out.resolve(Summaries.SUMMARY_FILE)), Summary.class);
    assertEquals(summary, written);
  }

  @Test
  void resultsFileIsRewrittenSortedByTaskId() throws IOException {
    writeResults(
        outcome("t10", TaskState.MERGED),
        outcome("t02", TaskState.REJECTED),
        outcome("t01", TaskState.FAILED));
    List<Task> planned = List.of(task("t01"), task("t02"), task("t10"));

    finish(planned, 1);

    assertEquals(List.of("t01", "t02", "t10"), resultIds());
    // Running it again on its own output changes nothing.
    byte[] once = Files.readAllBytes(out.resolve(WriteResults.FILE_NAME));
    finish(planned, 1);
    assertEquals(
        new String(once, StandardCharsets.UTF_8),
        Files.readString(out.resolve(WriteResults.FILE_NAME)));
  }

  @Test
  void noResultsFileMakesEveryPlannedTaskFailed() throws IOException {
    Summaries.Finished finished =
        finish(List.of(task("b"), task("a")), 1);
    assertEquals(2, finished.summary().count(TaskState.FAILED));
    assertEquals(List.of("a", "b"), resultIds());
  }

  @Test
  void twoResultsForOneTaskThrow() throws IOException {
    writeResults(
        outcome("t1", TaskState.MERGED), outcome("t2", TaskState.MERGED), outcome("t1", TaskState.REJECTED));
    IOException e =
        assertThrows(
            IOException.class,
            () -> finish(List.of(task("t1"), task("t2")), 1));
    assertTrue(e.getMessage().contains("t1"), e.getMessage());
  }
}
