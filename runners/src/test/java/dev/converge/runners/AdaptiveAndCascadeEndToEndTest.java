package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.report.Summaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive sampling and the model cascade through the CLI: where sampling stops, which tasks
 * escalate, the per-tier figures, and that a seed gives the same run twice.
 */
class AdaptiveAndCascadeEndToEndTest {
  @TempDir static Path dir;

  /** Tasks: "same" (every sample agrees), "split" (samples alternate), "hard" (cheap agent fails). */
  private static final String PLAN =
      """
      plan:
        tasks:
          - {id: same, instructions: answer same, test: "! grep -q wrong answer-same.txt"}
          - {id: split, instructions: answer split, test: "! grep -q wrong answer-split.txt"}
          - {id: hard, instructions: answer hard, test: "! grep -q wrong answer-hard.txt"}
      test:
        command: "true"
      """;

  /** Writes answer-<task>.txt: the same answer, answers alternating by sample, or a wrong one. */
  private static final String AGENT_SCRIPT =
      """
      case "$CONVERGE_TASK_ID:$1" in
        split:*) echo "answer-$((CONVERGE_SAMPLE % 2))" > answer-split.txt ;;
        hard:cheap) echo wrong > answer-hard.txt ;;
        *) echo right > "answer-$CONVERGE_TASK_ID.txt" ;;
      esac
      """;

  @BeforeAll
  static void createRepository() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("README"), "answers\n");
    Files.writeString(dir.resolve("agent.sh"), AGENT_SCRIPT);
    Cli.run(repo, "git", "init", "-q");
    Cli.run(repo, "git", "add", ".");
    Cli.run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
  }

  private static Path spec(String name, String implement) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "name: " + name + "\nkind: change\ntargets:\n  - path: repo\n" + PLAN
            + """
            agents:
              - {id: cheap, type: command, command: [sh, "{specDir}/agent.sh", cheap]}
              - {id: expensive, type: command, command: [sh, "{specDir}/agent.sh", expensive]}
            """
            + implement);
    return file;
  }

  private static List<Outcome> run(Path spec, String out) throws Exception {
    assertEquals(
        Converge.EXIT_OK,
        Converge.execute("run", spec.toString(), "--out", dir.resolve(out).toString(), "--no-cache"));
    return Summaries.readResults(dir.resolve(out).toString());
  }

  private static Map<String, Outcome> byTask(List<Outcome> outcomes) {
    return outcomes.stream().collect(Collectors.toMap(o -> o.task().id(), o -> o));
  }

  @Test
  void adaptiveSamplingStopsAtTheMinimumWhenUnanimousAndGoesToTheMaximumOnASplit() throws Exception {
    Path spec =
        spec(
            "adaptive",
            "implement:\n  agents: [expensive]\n  sampling: adaptive\n  adaptive: {minSamples: 3, maxSamples: 7}\n");
    Map<String, Outcome> outcomes = byTask(run(spec, "adaptive-1"));
    assertEquals(3, outcomes.get("same").candidates().size(), "unanimous first wave: stop at 3");
    assertEquals(3, outcomes.get("hard").candidates().size());
    assertEquals(7, outcomes.get("split").candidates().size(), "a 4:3 split never leads by 2");
    assertEquals(
        List.of(0, 1, 2, 3, 4, 5, 6),
        outcomes.get("split").candidates().stream().map(Candidate::sample).sorted().toList(),
        "every wave makes new samples");
    assertEquals(TaskState.MERGED, outcomes.get("split").state(), "the vote still decides at the maximum");
    JsonNode summary = Json.MAPPER.readTree(dir.resolve("adaptive-1/summary.json").toFile());
    assertEquals(13, summary.get("agentCalls").asInt());

    assertEquals(states(outcomes), states(byTask(run(spec, "adaptive-2"))), "the same run twice");
  }

  @Test
  void theCascadeEscalatesOnlyWhatTheCheapTierCouldNotSettle() throws Exception {
    Path spec = spec("cascade", "implement:\n  cascade: [cheap, expensive]\n  samples: 2\n");
    Map<String, Outcome> outcomes = byTask(run(spec, "cascade-1"));
    Outcome hard = outcomes.get("hard");
    assertEquals(TaskState.MERGED, hard.state(), hard.reason());
    assertEquals(2, hard.tier());
    assertEquals(
        List.of("cheap", "cheap", "expensive", "expensive"),
        hard.candidates().stream().map(Candidate::agentId).sorted().toList(),
        "the cheap tier's failed candidates stay as evidence");
    assertTrue(hard.reason().startsWith("tier 2: "), hard.reason());
    assertEquals(1, outcomes.get("same").tier());
    assertTrue(outcomes.get("same").candidates().stream().allMatch(c -> c.agentId().equals("cheap")));

    JsonNode summary = Json.MAPPER.readTree(dir.resolve("cascade-1/summary.json").toFile());
    assertEquals(
        "[{\"tier\":1,\"reached\":3,\"merged\":2},{\"tier\":2,\"reached\":1,\"merged\":1}]",
        summary.get("tiers").toString());
    assertEquals(6, summary.get("agents").get("cheap").get("calls").asInt());
    assertEquals(2, summary.get("agents").get("expensive").get("calls").asInt());

    assertEquals(states(outcomes), states(byTask(run(spec, "cascade-2"))), "the same run twice");
  }

  /** What must not change between two runs: states, patches, tiers and who made what. */
  private static Map<String, String> states(Map<String, Outcome> outcomes) {
    return outcomes.values().stream()
        .collect(
            Collectors.toMap(
                o -> o.task().id(),
                o -> o.state() + " " + o.tier() + " " + o.patch() + " "
                    + o.candidates().stream().map(c -> c.label() + "=" + c.patchHash()).sorted().toList()));
  }
}
