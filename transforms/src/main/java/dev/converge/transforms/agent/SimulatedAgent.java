package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A clearly labelled synthetic agent for dry runs, tests and benchmarks. It does not understand the
 * task: it writes {@code .converge-simulated/<task>.txt} containing either {@code correct} or, with
 * probability {@code wrongRate}, a numbered wrong answer. Its choices depend only on the seed, the
 * task id and the sample, so runs are reproducible.
 */
public final class SimulatedAgent implements Agent {
  /** The folder a simulated agent writes to, so its changes are never mistaken for real ones. */
  public static final String OUTPUT_FOLDER = ".converge-simulated";

  private final String id;
  private final long seed;
  private final Duration latency;
  private final double wrongRate;

  private SimulatedAgent(String id, long seed, Duration latency, double wrongRate) {
    this.id = id;
    this.seed = seed;
    this.latency = latency;
    this.wrongRate = wrongRate;
  }

  public static SimulatedAgent of(String id) {
    return new SimulatedAgent(Objects.requireNonNull(id, "id"), 0, Duration.ZERO, 0);
  }

  public SimulatedAgent withSeed(long newSeed) {
    return new SimulatedAgent(id, newSeed, latency, wrongRate);
  }

  public SimulatedAgent withLatency(Duration newLatency) {
    if (newLatency == null || newLatency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive, got " + newLatency);
    }
    return new SimulatedAgent(id, seed, newLatency, wrongRate);
  }

  public SimulatedAgent withWrongRate(double newWrongRate) {
    if (!(newWrongRate >= 0 && newWrongRate <= 1)) {
      throw new IllegalArgumentException("wrongRate must be in [0, 1], got " + newWrongRate);
    }
    return new SimulatedAgent(id, seed, latency, newWrongRate);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "simulated";
  }

  @Override
  public ProcessRunner.Result implement(Task task, int sample, Path worktree) throws IOException {
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed ^ task.id().hashCode() * 31L ^ sample);
    String answer = random.nextDouble() < wrongRate ? "wrong-" + random.nextInt(3) : "correct";
    pretendToWork();
    Path file = worktree.resolve(OUTPUT_FOLDER).resolve(task.id() + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, answer + "\n", StandardCharsets.UTF_8);
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    return new ProcessRunner.Result(
        0, false, "simulated agent " + id + " answered " + answer, durationMs);
  }

  /** Simulated latency stands in for a model call; it is the agent's behaviour, not a test wait. */
  private void pretendToWork() {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
