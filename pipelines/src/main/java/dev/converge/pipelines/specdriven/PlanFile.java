package dev.converge.pipelines.specdriven;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.PriceSpec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.constraints.Constraints;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code plan.json}: what {@code converge plan} shows a human to approve, and what {@code converge
 * run --plan} holds the job to. The plan hash pins the spec file, the context documents and the
 * targets' base commits; a plan whose hash no longer matches is refused.
 *
 * @param format {@value #FORMAT}
 * @param spec the spec's name
 * @param specFile the spec file the plan was made from
 * @param planHash hash of the spec file, the context documents and the base commits
 * @param specHash SHA-256 of the spec file
 * @param contextHash hash of the context documents ({@code ""} without any)
 * @param context SHA-256 of each context document, by its name in the spec
 * @param targets the base commit of each target, by target id
 * @param agents the implementing agents
 * @param samples samples per agent and task
 * @param tasks the planned tasks
 * @param estimate agent calls and cost
 * @param constraints the rules candidates are checked against
 */
public record PlanFile(
    String format,
    String spec,
    String specFile,
    String planHash,
    String specHash,
    String contextHash,
    Map<String, String> context,
    Map<String, String> targets,
    List<PlannedAgent> agents,
    int samples,
    List<PlannedTask> tasks,
    Estimate estimate,
    Constraints constraints) {

  public static final String FORMAT = "converge-plan-1";

  /** An implementing agent: its id, kind and model ({@code ""} for command agents). */
  public record PlannedAgent(String id, String kind, String model) {}

  /**
   * One planned task.
   *
   * @param agentCalls agents x samples
   */
  public record PlannedTask(
      String id,
      String target,
      String baseCommit,
      String instructions,
      List<String> files,
      String testCommand,
      String inputHash,
      int agentCalls) {}

  /**
   * What the job will cost before it runs.
   *
   * @param agentCalls tasks x agents x samples (an upper bound: cached answers are free)
   * @param costUsd the estimated cost in USD from the spec's price table, or null when it cannot be
   *     estimated
   * @param costNote why the cost is null, or how it was estimated
   */
  public record Estimate(int tasks, int agents, int samples, int agentCalls, Double costUsd, String costNote) {}

  /** The plan of a compiled job. */
  public static PlanFile of(
      String specName,
      Path specFile,
      List<Task> tasks,
      List<Agent> agents,
      int samples,
      SpecDriven specDriven,
      Map<String, PriceSpec> prices) {
    int perTask = agents.size() * samples;
    List<PlannedTask> planned =
        tasks.stream()
            .map(
                t ->
                    new PlannedTask(
                        t.id(), t.target(), t.baseCommit(), t.instructions(), t.files(), t.testCommand(),
                        t.inputHash(), perTask))
            .toList();
    CostEstimate.Result cost = CostEstimate.of(tasks, agents, samples, prices);
    Estimate estimate =
        new Estimate(tasks.size(), agents.size(), samples, tasks.size() * perTask, cost.costUsd(), cost.note());
    return new PlanFile(
        FORMAT,
        specName,
        specFile.toAbsolutePath().normalize().toString(),
        specDriven.planHash(),
        specDriven.specHash(),
        specDriven.context().hash(),
        specDriven.context().hashes(),
        specDriven.commits(),
        agents.stream().map(a -> new PlannedAgent(a.id(), a.kind(), a.model())).toList(),
        samples,
        planned,
        estimate,
        specDriven.constraints());
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, Json.pretty(this), StandardCharsets.UTF_8);
  }

  /** Reads a plan file; a missing or unreadable one is a {@link PlanException}. */
  public static PlanFile read(Path file) throws PlanException {
    try {
      PlanFile plan = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), PlanFile.class);
      if (!FORMAT.equals(plan.format())) {
        throw new PlanException(
            "--plan " + file + ": not a Converge plan (format '" + plan.format() + "', expected '" + FORMAT
                + "'); make one with `converge plan SPEC --out " + file + "`");
      }
      return plan;
    } catch (NoSuchFileException e) {
      throw new PlanException("--plan " + file + ": file not found");
    } catch (IOException e) {
      throw new PlanException("--plan " + file + ": not a readable plan: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code current} (the plan of the spec as it is now) is this approved plan; throws a
   * {@link PlanException} that says what changed when it is not.
   */
  public void verify(PlanFile current, Path planFile) throws PlanException {
    List<String> changes = new ArrayList<>();
    if (!Objects.equals(specHash, current.specHash())) {
      changes.add("the spec file changed");
    }
    describeChanges("context document", context, current.context(), changes);
    describeChanges("base commit of target", targets, current.targets(), changes);
    if (changes.isEmpty() && !Objects.equals(planHash, current.planHash())) {
      changes.add("its hash differs");
    }
    if (changes.isEmpty()
        && !tasks.stream().map(PlannedTask::id).toList().equals(current.tasks().stream().map(PlannedTask::id).toList())) {
      changes.add("the planned tasks differ");
    }
    if (!changes.isEmpty()) {
      throw new PlanException(
          "the approved plan " + planFile + " no longer matches " + current.specFile() + ": "
              + String.join("; ", changes) + " (plan " + Hashes.shortHash(planHash) + ", now "
              + Hashes.shortHash(current.planHash()) + "). Run `converge plan " + current.specFile()
              + " --out " + planFile + "` again, review the new plan and run it.");
    }
  }

  private static void describeChanges(
      String what, Map<String, String> approved, Map<String, String> now, List<String> out) {
    Map<String, String> a = approved == null ? Map.of() : approved;
    Map<String, String> n = now == null ? Map.of() : now;
    Set<String> names = new TreeSet<>(a.keySet());
    names.addAll(n.keySet());
    for (String name : names) {
      if (!a.containsKey(name)) {
        out.add(what + " " + name + " was added");
      } else if (!n.containsKey(name)) {
        out.add(what + " " + name + " was removed");
      } else if (!a.get(name).equals(n.get(name))) {
        out.add(
            what + " " + name + " changed (" + Hashes.shortHash(a.get(name)) + " -> "
                + Hashes.shortHash(n.get(name)) + ")");
      }
    }
  }

  /** The tasks by id, for views. */
  public Map<String, PlannedTask> tasksById() {
    Map<String, PlannedTask> byId = new LinkedHashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    return byId;
  }
}
