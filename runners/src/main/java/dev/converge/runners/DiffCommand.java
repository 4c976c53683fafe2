package dev.converge.runners;

import dev.converge.pipelines.specdriven.RunDiff;
import dev.converge.pipelines.specdriven.RunDiff.Change;
import dev.converge.pipelines.specdriven.RunDiff.TaskDiff;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.Summaries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code converge diff OLD_OUT NEW_OUT}: which task outcomes changed between two runs, and why. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the results.jsonl of two runs (for example before and after a spec edit) and",
      "reports which tasks changed state or merged a different change, and why: their inputs",
      "(instructions, files, goal, base commit, context documents, agents), the checks",
      "(test command, constraints), or the agents' answers. Also says which tasks called their",
      "agents again (re-run) and which were answered from the agent-call cache (cached)."
    })
final class DiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OLD_OUT", description = "The output folder of the earlier run.")
  String oldDir;

  @Parameters(index = "1", paramLabel = "NEW_OUT", description = "The output folder of the later run.")
  String newDir;

  @Option(names = "--json", description = "Print the diff as JSON lines, one per task.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    List<Outcome> before = read(oldDir);
    List<Outcome> after = read(newDir);
    List<TaskDiff> diffs = RunDiff.compare(before, after);
    if (json) {
      diffs.forEach(d -> System.out.println(Json.line(d)));
      return Converge.EXIT_OK;
    }
    System.out.println("converge diff: " + oldDir + " -> " + newDir);
    System.out.println();
    int width = diffs.stream().mapToInt(d -> d.task().length()).max().orElse(4);
    for (TaskDiff d : diffs) {
      String states =
          switch (d.change()) {
            case ADDED -> "-> " + d.newState();
            case REMOVED -> d.oldState() + " ->";
            case CHANGED -> d.oldState() + " -> " + d.newState();
            case SAME -> d.newState();
          };
      System.out.printf(
          "  %-8s %-" + width + "s  %-20s %s%n",
          d.change().label(), d.task(), states, d.change() == Change.REMOVED ? "" : d.rerun() ? "re-run" : "cached");
      for (String why : d.why()) {
        System.out.println("           " + " ".repeat(width) + "  - " + why);
      }
    }
    System.out.println();
    System.out.printf(
        "%d tasks: %d changed, %d same, %d added, %d removed; %d re-run%n",
        diffs.size(),
        count(diffs, Change.CHANGED),
        count(diffs, Change.SAME),
        count(diffs, Change.ADDED),
        count(diffs, Change.REMOVED),
        diffs.stream().filter(TaskDiff::rerun).count());
    return Converge.EXIT_OK;
  }

  private static long count(List<TaskDiff> diffs, Change change) {
    return diffs.stream().filter(d -> d.change() == change).count();
  }

  private static List<Outcome> read(String dir) throws Exception {
    String resolved = dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().normalize().toString();
    List<Outcome> outcomes = Summaries.readResults(resolved);
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException(dir + " has no results.jsonl; is it the output folder of a run?");
    }
    return outcomes;
  }
}
