package dev.converge.pipelines.plan;

import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.TaskSpec;
import dev.converge.pipelines.specdriven.Hashes;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.agent.ModelAgent;
import dev.converge.transforms.agent.ModelCall;
import dev.converge.transforms.agent.Prompt;
import dev.converge.transforms.agent.Retrying;
import dev.converge.transforms.agent.TimeSource;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The planner agent of a spec ({@code plan.agent}), run on the driver once per target: it is
 * given the goal and the target's file list and answers with tasks ({@link PlanAnswer}), which
 * are validated before anything else runs. A validated answer is cached ({@link PlanCache}) under
 * the agent (id, kind, model, fingerprint), the prompt (goal, target, file list, contract) and the
 * base commit, so a re-run of the same spec asks nobody.
 *
 * <p>A {@link CommandAgent} runs in a private checkout of the target's base commit (thrown away
 * afterwards) with {@code CONVERGE_ROLE=plan}, {@code CONVERGE_GOAL}, {@code CONVERGE_TARGET_ID},
 * {@code CONVERGE_BASE_COMMIT}, {@code CONVERGE_FILE_LIST} (a file listing every file of the
 * target, one per line) and {@code CONVERGE_MAX_TASKS}, the {@link PlanningPrompt} on standard
 * input; the plan is in what it prints. A {@link ModelAgent} gets the prompt, and the plan is in its
 * reply; it is retried as its limits say. A planner that fails, times out or answers something
 * invalid fails planning with a {@link PlanException} that names it and the target.
 */
public final class AgentPlanner {
  private final Agent agent;
  private final PlanCache cache;

  private AgentPlanner(Agent agent, PlanCache cache) {
    this.agent = agent;
    this.cache = cache;
  }

  public static AgentPlanner of(Agent agent, PlanCache cache) {
    if (!(agent instanceof CommandAgent) && !(agent instanceof ModelAgent)) {
      throw new IllegalArgumentException("agent " + agent.id() + " (" + agent.kind() + ") cannot plan");
    }
    return new AgentPlanner(agent, cache);
  }

  /**
   * The planner of {@code spec}, made by {@code agents} (the spec's agent factory, with the
   * context documents); empty when the spec has no {@code plan.agent}.
   */
  public static Optional<AgentPlanner> forSpec(Spec spec, Function<AgentSpec, Agent> agents, PlanCache cache) {
    String id = spec.plan() == null ? null : spec.plan().agent();
    if (id == null) {
      return Optional.empty();
    }
    AgentSpec planner =
        spec.agents().stream()
            .filter(a -> a.id().equals(id))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "plan.agent '" + id + "' is not defined; the parser should have refused it"));
    return Optional.of(of(agents.apply(planner), cache));
  }

  public Agent agent() {
    return agent;
  }

  /** How messages name the planner on {@code target}. */
  String where(Target target) {
    return "plan.agent '" + agent.id() + "' on target " + target.id();
  }

  /** The tasks the agent plans for {@code target}: from the cache, else asked and validated. */
  public List<TaskSpec> plan(String goal, Target target) throws PlanException {
    Prompt prompt = PlanningPrompt.of(goal, target);
    String key = key(prompt, target);
    Optional<String> cached = cache.lookup(key);
    if (cached.isPresent()) {
      return PlanAnswer.parse(where(target) + " (cached in " + cache.fileOf(key) + ")", target, cached.get());
    }
    List<TaskSpec> tasks = PlanAnswer.parse(where(target), target, ask(goal, target, prompt));
    try {
      cache.store(key, PlanAnswer.json(tasks));
    } catch (IOException e) {
      throw new PlanException(
          where(target) + ": cannot write the plan cache " + cache.fileOf(key) + ": " + e.getMessage(), e);
    }
    return tasks;
  }

  private String key(Prompt prompt, Target target) {
    Map<String, Object> parts = new TreeMap<>();
    parts.put("contract", PlanningPrompt.CONTRACT_VERSION);
    parts.put("agent", agent.id());
    parts.put("kind", agent.kind());
    parts.put("model", agent.model());
    parts.put("fingerprint", new TreeMap<>(agent.fingerprint()));
    parts.put("commit", target.commit());
    // The prompt lists at most MAX_LISTED_FILES files; a command agent is given all of them.
    parts.put("files", Hashes.sha256(String.join("\n", target.files())));
    parts.put("system", Hashes.sha256(prompt.system()));
    parts.put("user", Hashes.sha256(prompt.user()));
    return Hashes.sha256(Json.line(parts));
  }

  private String ask(String goal, Target target, Prompt prompt) throws PlanException {
    try {
      return agent instanceof CommandAgent command
          ? run(command, goal, target, prompt)
          : call((ModelAgent) agent, goal, target, prompt);
    } catch (IOException e) {
      throw new PlanException(where(target) + ": cannot run the planner: " + e.getMessage(), e);
    }
  }

  private String run(CommandAgent command, String goal, Target target, Prompt prompt)
      throws IOException, PlanException {
    Path scratch = Files.createTempDirectory("converge-plan-");
    ProcessRunner.Result result;
    try {
      Path fileList = scratch.resolve("files.txt");
      Files.write(fileList, target.files(), StandardCharsets.UTF_8);
      Path worktree = Worktrees.checkoutBorrowing(target.repo().toString(), target.commit(), scratch, "plan");
      Map<String, String> variables =
          Map.of(
              "CONVERGE_ROLE", "plan",
              "CONVERGE_GOAL", goal == null ? "" : goal,
              "CONVERGE_TARGET_ID", target.id(),
              "CONVERGE_BASE_COMMIT", target.commit(),
              "CONVERGE_FILE_LIST", fileList.toString(),
              "CONVERGE_MAX_TASKS", Integer.toString(PlanAnswer.MAX_TASKS));
      // One character more than the limit, so that an answer over it is seen, not cut.
      result = command.run(worktree, variables, prompt.system() + "\n" + prompt.user(), PlanAnswer.MAX_CHARS + 1);
    } finally {
      Worktrees.delete(scratch);
    }
    if (result.timedOut()) {
      throw new PlanException(
          where(target) + ": the planner timed out after " + command.timeout().toSeconds() + " s");
    }
    if (result.exitCode() != 0) {
      throw new PlanException(
          where(target) + ": the planner exited with code " + result.exitCode() + ": " + tail(result.outputTail()));
    }
    return result.outputTail();
  }

  private String call(ModelAgent model, String goal, Target target, Prompt prompt) throws PlanException {
    // A task-shaped description of the request: model agents read the prompt, the task names it.
    Task request =
        new Task(
            "plan", target.id(), target.repo().toString(), target.commit(), "plan the goal", List.of(), goal, "", 0);
    Retrying.Outcome outcome;
    try {
      outcome =
          Retrying.call(
              model,
              new ModelCall(request, prompt, 0, 1, model.limits().timeout(), TimeSource.system()),
              Retrying.OPEN,
              TimeSource.system(),
              (target.id() + "/" + model.id()).hashCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlanException(where(target) + ": interrupted while the planner answered", e);
    }
    if (outcome.reply() == null) {
      throw new PlanException(where(target) + ": the planner's call failed: " + outcome.failure());
    }
    if (outcome.reply().truncated()) {
      throw new PlanException(
          where(target) + ": the answer was cut off at the output token limit (raise the agent's maxTokens)");
    }
    return outcome.reply().text();
  }

  /** The end of what a failed planner printed, for the message. */
  private static String tail(String output) {
    String text = output.strip();
    return text.isEmpty() ? "(no output)" : text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
  }
}
