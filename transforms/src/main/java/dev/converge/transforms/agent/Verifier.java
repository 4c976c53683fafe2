package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Asks a verifier agent to judge one patch of a task and returns its {@link Verification}; never
 * throws for anything the agent does.
 *
 * <p>A model agent gets {@link PromptBuilder#forVerification} and answers in the verdict schema of
 * {@link VerdictParser}. A command agent runs in a private checkout of the base commit with the
 * patch applied, with {@code CONVERGE_ROLE=verify}, {@code CONVERGE_STAGE} ({@code verify} or
 * {@code final}) and {@code CONVERGE_PATCH_FILE} (the patch, outside the checkout) set and the
 * verification prompt on standard input; it prints the verdict JSON. What a verifier says about tests
 * is not trusted: Converge ran them before a verifier is asked.
 *
 * <p>Each call takes a slot of the verifier's provider in the run it {@linkplain #sharing shares}
 * with the implement and repair stages, under the same rate limits and budget: once the budget is
 * spent no verifier call starts, and the judgement fails with the budget's reason.
 *
 * <p>Verdicts are cached like answers ({@link CacheKeys#forVerification}); answers that fit no
 * schema are cached too (they are answers), crashes, timeouts and budget refusals are not.
 */
public final class Verifier implements Serializable {
  private final Agent agent;
  private final RunSettings run;

  private Verifier(Agent agent, RunSettings run) {
    this.agent = agent;
    this.run = run;
  }

  /** A verifier with a run of its own: no budget, no cache, its own provider slots. */
  public static Verifier of(Agent agent) {
    Objects.requireNonNull(agent, "agent");
    return new Verifier(agent, ImplementTasks.with(List.of(agent)).withRunId(UUID.randomUUID().toString()).runSettings());
  }

  /** The folder under which command verifiers get their checkouts. */
  public Verifier withWorkDir(String newWorkDir) {
    return new Verifier(agent, run.withWorkDir(Objects.requireNonNull(newWorkDir, "workDir")));
  }

  /**
   * Calls go through {@code implement}'s run: in this JVM the same provider slots and rate limits
   * as its calls, the same budget (once spent, no verifier call starts either), and its cache,
   * prices and work folder. {@code implement} needs a run id ({@link ImplementTasks#withRunId}).
   */
  public Verifier sharing(ImplementTasks implement) {
    if (implement.runId() == null) {
      throw new IllegalArgumentException("the implement stage to share needs a run id (withRunId)");
    }
    return new Verifier(agent, implement.runSettings());
  }

  public Agent agent() {
    return agent;
  }

  /** Independent judgements one stage may ask for about one patch. */
  public static final int MAX_OPINIONS = 5;

  /**
   * The verifier's judgement of {@code patch}, from the cache when it was asked before.
   *
   * @param opinion which of several independent judgements of one stage (0 for the first)
   */
  public Verification verify(Task task, String patch, String stage, int round, int opinion) {
    if (opinion < 0 || opinion >= MAX_OPINIONS) {
      throw new IllegalArgumentException("opinion must be from 0 to " + (MAX_OPINIONS - 1) + ", got " + opinion);
    }
    AgentRuntime runtime = AgentRuntime.of(run);
    ResultCache cache = runtime.cache();
    int sample = sampleOf(stage, round, opinion);
    String key = CacheKeys.forVerification(agent, task, patch, sample);
    if (cache != null) {
      Optional<Verification> hit = cache.lookupVerification(key);
      if (hit.isPresent()) {
        return hit.get().asCachedAt(stage, round);
      }
    }
    Answer answer = runtime.inSlot(agent, () -> answer(runtime, task, patch, stage, sample)).join();
    if (answer.failure != null) {
      return failed(task, patch, stage, round, answer.failure, answer.durationMs);
    }
    VerdictParser.Parsed parsed = VerdictParser.parse(answer.text);
    Price price = run.priceOf(agent.model());
    Verification verification =
        new Verification(
            stage, round, agent.id(), agent.kind(), Worktrees.patchHash(patch), parsed.valid() && parsed.passed(),
            parsed.valid(), parsed.score(), parsed.reasons().stream().map(Redactor::redact).toList(),
            parsed.locations(), answer.durationMs, false, answer.inputTokens, answer.outputTokens,
            Math.round(price.cost(answer.inputTokens, answer.outputTokens) * 1e9) / 1e9);
    if (cache != null && !(agent instanceof ModelAgent model && !model.cacheable())) {
      try {
        cache.storeVerification(key, verification);
      } catch (IOException e) {
        // A verdict that cannot be stored only costs a call on the next run.
      }
    }
    return verification;
  }

  /** The verifier's answer, in one of its provider's slots; failures are answers too. */
  private Answer answer(AgentRuntime runtime, Task task, String patch, String stage, int sample) {
    try {
      return agent instanceof ModelAgent model
          ? ask(runtime, model, task, patch, sample)
          : run(runtime, task, patch, stage, sample);
    } catch (IOException | RuntimeException e) {
      return new Answer("", "cannot run the verifier: " + e.getMessage(), 0, 0, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer("", "interrupted", 0, 0, 0);
    }
  }

  /** What a verifier said, or why it said nothing usable. */
  private record Answer(String text, String failure, long durationMs, long inputTokens, long outputTokens) {}

  /**
   * Every round, every opinion and the final check ask for a judgement of their own: a patch that
   * comes back from a repair round unchanged (the repair agent stands by it) gets a new opinion, not
   * the first one again from the cache.
   */
  static int sampleOf(String stage, int round, int opinion) {
    return (stage.equals(Verification.FINAL) ? FINAL_SAMPLE : round * MAX_OPINIONS) + opinion;
  }

  /** The sample of the final check, apart from the rounds' samples. */
  static final int FINAL_SAMPLE = 1000;

  private Answer ask(AgentRuntime runtime, ModelAgent model, Task task, String patch, int sample)
      throws IOException, InterruptedException {
    Prompt prompt = PromptBuilder.forVerification(task, patch);
    boolean charged = model.cacheable();
    Retrying.Outcome outcome =
        Retrying.call(
            model,
            new ModelCall(task, prompt, sample, 1, model.limits().timeout(), run.time()),
            runtime.gate(model, task.id(), prompt, charged ? run.priceOf(model.model()) : Price.FREE, charged),
            run.time(),
            (task.id() + "/verify/" + model.id() + "/" + sample).hashCode());
    if (outcome.reply() == null) {
      return new Answer("", outcome.failure(), outcome.durationMillis(), 0, 0);
    }
    ModelReply reply = outcome.reply();
    return new Answer(reply.text(), null, outcome.durationMillis(), reply.inputTokens(), reply.outputTokens());
  }

  private Answer run(AgentRuntime runtime, Task task, String patch, String stage, int sample)
      throws IOException, InterruptedException {
    if (!(agent instanceof CommandAgent command)) {
      throw new IllegalArgumentException("agent " + agent.id() + " (" + agent.kind() + ") cannot verify");
    }
    Optional<String> refusal = runtime.admitCommand(agent, task.id());
    if (refusal.isPresent()) {
      return new Answer("", refusal.get(), 0, 0, 0);
    }
    Path parent = Path.of(run.workDir());
    Path worktree = null;
    Path patchFile = null;
    try {
      worktree =
          Worktrees.checkoutBorrowing(task.repoPath(), task.baseCommit(), parent, task.id() + "-verify-" + agent.id());
      String notApplied = Worktrees.apply(worktree, patch);
      if (!notApplied.isEmpty()) {
        return new Answer("", "the patch does not apply for verification: " + notApplied, 0, 0, 0);
      }
      patchFile = Files.createTempFile(parent, "verify-", ".patch");
      Files.writeString(patchFile, patch, StandardCharsets.UTF_8);
      Prompt prompt = PromptBuilder.forVerification(task, patch);
      Map<String, String> variables = new HashMap<>(CommandAgent.taskVariables(task, sample));
      variables.put("CONVERGE_ROLE", "verify");
      variables.put("CONVERGE_STAGE", stage);
      variables.put("CONVERGE_PATCH_FILE", patchFile.toString());
      ProcessRunner.Result result =
          command.run(
              worktree, variables, prompt.system() + "\n\n" + prompt.user(), ProcessRunner.DEFAULT_TAIL_CHARS);
      if (result.timedOut()) {
        return new Answer("", "timed out after " + result.durationMs() + " ms", result.durationMs(), 0, 0);
      }
      if (result.exitCode() != 0) {
        return new Answer(
            "", "exited with code " + result.exitCode() + ": " + lastLine(result.outputTail()), result.durationMs(), 0, 0);
      }
      return new Answer(result.outputTail(), null, result.durationMs(), 0, 0);
    } finally {
      Worktrees.delete(worktree);
      if (patchFile != null) {
        Files.deleteIfExists(patchFile);
      }
    }
  }

  private Verification failed(Task task, String patch, String stage, int round, String why, long durationMs) {
    return new Verification(
        stage, round, agent.id(), agent.kind(), Worktrees.patchHash(patch), false, false, 0,
        List.of(Redactor.redact(why)), List.of(), durationMs, false, 0, 0, 0);
  }

  private static String lastLine(String text) {
    String stripped = text.strip();
    int newline = stripped.lastIndexOf('\n');
    return newline < 0 ? stripped : stripped.substring(newline + 1);
  }
}
