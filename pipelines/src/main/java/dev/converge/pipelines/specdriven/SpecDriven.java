package dev.converge.pipelines.specdriven;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.plan.Target;
import dev.converge.pipelines.spec.ConstraintsSpec;
import dev.converge.pipelines.spec.DriftSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.agent.ModelAgent;
import dev.converge.transforms.agent.ModelAgentWithContext;
import dev.converge.transforms.constraints.Constraints;
import dev.converge.transforms.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What spec-driven development adds to a change job: the context documents every agent gets, the
 * hashes that pin a job's inputs (spec, context, plan, each task) and the rules of the constraint
 * and drift checks that run before the test gate.
 *
 * <p>A task's <b>input hash</b> covers what its agents are given and who they are: the task id,
 * instructions, files, goal, base commit, the context documents, the implementing agents
 * (type, command line and the content of the files it names, model, parameters) and the samples.
 * The agent-call cache of {@code transforms/agent} keys each call on the same inputs (the context
 * documents are part of every agent's fingerprint), so a re-run with the same cache calls only the
 * agents of tasks whose inputs changed. The test command, constraints, drift thresholds and vote
 * are not part of it: they are applied again on every run.
 */
public final class SpecDriven {
  private final String specHash;
  private final ContextDocuments context;
  private final Map<String, String> commits;
  private final Constraints constraints;

  private SpecDriven(
      String specHash,
      ContextDocuments context,
      Map<String, String> commits,
      Constraints constraints) {
    this.specHash = specHash;
    this.context = context;
    this.commits = commits;
    this.constraints = constraints;
  }

  /** Reads the spec's context documents and hashes the spec file and the targets' base commits. */
  public static SpecDriven prepare(Spec spec, Path specFile, List<Target> targets) throws PlanException {
    Path specDir = specFile.toAbsolutePath().normalize().getParent();
    String specHash;
    try {
      specHash = Hashes.sha256(Files.readAllBytes(specFile));
    } catch (IOException e) {
      throw new PlanException("cannot read " + specFile + ": " + e.getMessage(), e);
    }
    Map<String, String> commits = new TreeMap<>();
    targets.forEach(t -> commits.put(t.id(), t.commit()));
    Constraints constraints;
    try {
      constraints = constraintsOf(spec.constraints(), spec.drift());
    } catch (IllegalArgumentException e) {
      throw new PlanException("constraints: " + e.getMessage(), e);
    }
    return new SpecDriven(specHash, ContextDocuments.read(spec, specDir), commits, constraints);
  }

  /** The rules of the spec's {@code constraints} and {@code drift} sections. */
  public static Constraints constraintsOf(ConstraintsSpec c, DriftSpec d) {
    return new Constraints(
        c == null ? null : c.allowedPaths(),
        c == null ? null : c.forbiddenPaths(),
        c == null ? null : c.maxChangedLines(),
        c == null ? null : c.maxChangedFiles(),
        c == null ? null : c.forbiddenPatterns(),
        c == null ? null : c.requiredPatterns(),
        c == null ? null : c.requireTestChanges(),
        c == null ? null : c.allowedFileTypes(),
        d == null ? null : d.maxFilesOutsideScope(),
        d == null ? null : d.maxNewFiles(),
        d == null ? null : d.maxSizeRatio());
  }

  public String specHash() {
    return specHash;
  }

  public ContextDocuments context() {
    return context;
  }

  public Constraints constraints() {
    return constraints;
  }

  /** The base commit of every target, by target id. */
  public Map<String, String> commits() {
    return commits;
  }

  /**
   * The hash that an approved plan pins: the spec file, the context documents and the targets'
   * base commits. The same hash means the same plan.
   */
  public String planHash() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("spec", specHash);
    parts.put("context", context.hashes());
    parts.put("commits", commits);
    return Hashes.sha256(dev.converge.transforms.model.Json.line(parts));
  }

  /**
   * {@code agent} given the context documents: a command agent as files and on standard input, a
   * model agent at the top of its prompt; other agents as they are.
   */
  public Agent withContext(Agent agent) {
    if (context.documents().isEmpty()) {
      return agent;
    }
    if (agent instanceof CommandAgent command) {
      return command.withContext(context.documents());
    }
    if (agent instanceof ModelAgent model) {
      return ModelAgentWithContext.wrap(model, context.documents());
    }
    return agent;
  }

  public List<Agent> withContext(List<Agent> agents) {
    return agents.stream().map(this::withContext).toList();
  }

  /** The tasks with their spec, context and input hashes. */
  public List<Task> stamp(List<Task> tasks, List<Agent> agents, int samples, Path specDir) {
    String agentsHash = agentsHash(agents, specDir);
    return tasks.stream()
        .map(task -> task.withHashes(specHash, context.hash(), inputHash(task, agentsHash, samples)))
        .toList();
  }

  private String inputHash(Task task, String agentsHash, int samples) {
    Map<String, Object> parts = new TreeMap<>();
    parts.put("task", task.id());
    parts.put("target", task.target());
    parts.put("instructions", task.instructions());
    parts.put("files", task.files());
    parts.put("goal", task.goal());
    parts.put("commit", task.baseCommit());
    parts.put("context", context.hash());
    parts.put("agents", agentsHash);
    parts.put("samples", samples);
    return Hashes.sha256(dev.converge.transforms.model.Json.line(parts));
  }

  /**
   * A hash of the agents that does not depend on where the spec folder is: their ids, kinds,
   * models and fingerprints, with the spec folder's path written as {@code {specDir}}.
   */
  static String agentsHash(List<Agent> agents, Path specDir) {
    String dir = specDir.toAbsolutePath().normalize().toString();
    List<Object> parts = new ArrayList<>();
    for (Agent agent : agents) {
      Map<String, String> fingerprint = new TreeMap<>();
      agent.fingerprint().forEach((k, v) -> fingerprint.put(k.replace(dir, "{specDir}"), v.replace(dir, "{specDir}")));
      parts.add(List.of(agent.id(), agent.kind(), agent.model(), fingerprint));
    }
    return Hashes.sha256(dev.converge.transforms.model.Json.line(parts));
  }
}
