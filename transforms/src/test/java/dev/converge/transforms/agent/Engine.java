package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Runs the agent machinery of {@link ImplementTasks} without a pipeline, for fake-clock tests. */
final class Engine {
  private final List<Agent> agents;
  private Path workDir;
  private TimeSource time = TimeSource.system();
  private BudgetLimits budget = BudgetLimits.NONE;
  private Map<String, Price> prices = Map.of();
  private String cacheDir;
  private String recordFile;
  private int defaultConcurrency = 8;
  private AgentRuntime runtime;

  private Engine(List<Agent> agents) {
    this.agents = agents;
  }

  static Engine of(Path workDir, Agent... agents) {
    Engine engine = new Engine(List.of(agents));
    engine.workDir = workDir;
    return engine;
  }

  Engine time(TimeSource value) {
    time = value;
    return this;
  }

  Engine budget(BudgetLimits value) {
    budget = value;
    return this;
  }

  Engine prices(Map<String, Price> value) {
    prices = value;
    return this;
  }

  Engine cache(Path dir) {
    cacheDir = dir.toString();
    return this;
  }

  Engine record(Path file) {
    recordFile = file.toString();
    return this;
  }

  AgentRuntime runtime() {
    if (runtime == null) {
      runtime =
          AgentRuntime.of(
              new RunSettings(
                  UUID.randomUUID().toString(),
                  workDir.toString(),
                  defaultConcurrency,
                  ImplementTasks.sharedLimits(agents),
                  budget,
                  prices,
                  cacheDir,
                  ResultCache.Mode.READ_WRITE,
                  recordFile,
                  time));
    }
    return runtime;
  }

  /** Every (task, agent, sample), all started at once, in that order. */
  List<Candidate> run(List<Task> tasks, int samples) {
    List<CompletableFuture<Candidate>> futures = new ArrayList<>();
    for (Task task : tasks) {
      for (Agent agent : agents) {
        for (int sample = 0; sample < samples; sample++) {
          futures.add(runtime().submit(task, agent, sample));
        }
      }
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  Candidate runOne(Task task) {
    return run(List.of(task), 1).get(0);
  }
}
