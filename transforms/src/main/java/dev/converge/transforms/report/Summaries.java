package dev.converge.transforms.report;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;

/**
 * Finishes a job's output once the pipeline has ended: checks that every planned task has exactly
 * one result, sorts {@code results.jsonl} by task id (so two runs can be diffed), and writes {@code
 * summary.json}. The caller writes the summary last, so that its wall time covers every output.
 */
public final class Summaries {
  public static final String SUMMARY_FILE = "summary.json";

  private Summaries() {}

  /** The job's outcomes, sorted by task id, and its summary. */
  public record Finished(List<Outcome> outcomes, Summary summary) {}

  /**
   * Checks that every planned task has exactly one result, adds a {@code failed} one for a task
   * that lost its result, and rewrites {@code results.jsonl} sorted by task id.
   *
   * @return the outcomes in task-id order
   */
  public static List<Outcome> finishResults(String outputDir, List<Task> planned)
      throws IOException {
    Map<String, Outcome> byTask = new LinkedHashMap<>();
    for (Outcome outcome : readResults(outputDir)) {
      Outcome previous = byTask.putIfAbsent(outcome.task().id(), outcome);
      if (previous != null) {
        throw new IOException("task " + outcome.task().id() + " has two results; output is corrupt");
      }
    }
    for (Task task : planned) {
      // Never expected; if a bug ever loses a task, it must show up as a failure, not vanish.
      byTask.computeIfAbsent(
          task.id(),
          id ->
              new Outcome(
                  task,
                  TaskState.FAILED,
                  "no result reached the end of the pipeline",
                  List.of(),
                  List.of(),
                  ""));
    }
    List<Outcome> outcomes = new ArrayList<>(byTask.values());
    outcomes.sort(Comparator.comparing(o -> o.task().id()));
    OutputFiles.write(
        OutputFiles.resolve(outputDir, WriteResults.FILE_NAME),
        outcomes.stream().map(Json::line).collect(Collectors.joining("\n", "", "\n")));
    return outcomes;
  }

  /** Writes {@code summary.json}. */
  public static void writeSummary(String outputDir, Summary summary) throws IOException {
    OutputFiles.write(OutputFiles.resolve(outputDir, SUMMARY_FILE), Json.pretty(summary));
  }

  /** Reads {@code results.jsonl} of an output folder; empty when the file does not exist. */
  public static List<Outcome> readResults(String outputDir) throws IOException {
    String path = OutputFiles.resolve(outputDir, WriteResults.FILE_NAME);
    if (FileSystems.match(path, EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
      return List.of();
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (String line : OutputFiles.read(path).split("\n")) {
      if (!line.isBlank()) {
        outcomes.add(Json.MAPPER.readValue(line, Outcome.class));
      }
    }
    return outcomes;
  }
}
