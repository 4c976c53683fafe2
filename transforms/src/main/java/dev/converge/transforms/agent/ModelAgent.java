package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.PatchMaterializer;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An agent that answers a prompt with a unified diff instead of editing a checkout: API models
 * ({@link OpenAiAgent}, {@link AnthropicAgent}), the {@link SimulatedAgent} and the {@link
 * ReplayAgent}. The prompt contract is in {@link PromptBuilder}.
 */
public interface ModelAgent extends Agent {

  /**
   * Makes one request. Failures are {@link AgentCallException}s that say whether a retry may help;
   * retries, rate limits and the budget are the caller's business.
   */
  ModelReply call(ModelCall call) throws AgentCallException, InterruptedException;

  /** The most output tokens one answer may have (0: the provider's default); for token limits. */
  default long maxOutputTokens() {
    return 0;
  }

  /** Whether answers may be cached and recorded (false for agents that replay recorded answers). */
  default boolean cacheable() {
    return true;
  }

  /**
   * Works in a checkout: the prompt gets the task's files as they are in {@code worktree}, and the
   * answer's diff is applied there with {@code git apply}. Retries as {@link #limits()} say; no
   * rate limits or budget apply here.
   */
  @Override
  default ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
    long start = System.nanoTime();
    Prompt prompt = PromptBuilder.inWorktree(task, worktree);
    try {
      Retrying.Outcome outcome =
          Retrying.call(
              this,
              new ModelCall(task, prompt, sample, 1, limits().timeout(), TimeSource.system()),
              Retrying.OPEN,
              TimeSource.system(),
              (task.id() + "/" + id() + "/" + sample).hashCode());
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (outcome.reply() == null) {
        return new ProcessRunner.Result(1, false, outcome.failure(), ms);
      }
      String answer = outcome.reply().text();
      Optional<String> diff = DiffExtractor.extract(answer);
      if (diff.isEmpty()) {
        return new ProcessRunner.Result(1, false, "malformed output: the answer holds no diff\n" + answer, ms);
      }
      if (diff.get().isBlank()) {
        return new ProcessRunner.Result(0, false, answer, ms);
      }
      PatchMaterializer.Result applied = PatchMaterializer.applyToWorktree(worktree, diff.get());
      return applied.applied()
          ? new ProcessRunner.Result(0, false, answer, ms)
          : new ProcessRunner.Result(
              1, false, "malformed output: the diff does not apply: " + applied.error() + "\n" + answer, ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProcessRunner.Result(-1, true, "interrupted", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
