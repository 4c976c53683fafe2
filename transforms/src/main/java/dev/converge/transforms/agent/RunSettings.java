package dev.converge.transforms.agent;

import java.io.Serializable;
import java.util.Map;

/**
 * Everything an {@link ImplementTasks} run (and a {@link Verifier} that shares it) shares between
 * its workers' threads: limits, budget, prices, cache and recording. Built when the transform is expanded; the run id ties the shared
 * state of one run together inside a JVM.
 *
 * @param runId unique per expanded transform
 * @param workDir where private checkouts and scratch folders go
 * @param defaultConcurrency concurrency of agents that declare none
 * @param sharedLimits the strictest shared limits per provider key
 * @param budget what the job may spend
 * @param prices USD per million tokens by model name
 * @param cacheDir the cache folder, or null for none
 * @param cacheMode how the cache is used
 * @param recordFile the cassette that live calls are recorded to, or null
 * @param time the clock of limits, backoff and simulated latency
 */
record RunSettings(
    String runId,
    String workDir,
    int defaultConcurrency,
    Map<String, CallLimits> sharedLimits,
    BudgetLimits budget,
    Map<String, Price> prices,
    String cacheDir,
    ResultCache.Mode cacheMode,
    String recordFile,
    TimeSource time)
    implements Serializable {

  RunSettings {
    sharedLimits = Map.copyOf(sharedLimits);
    prices = Map.copyOf(prices);
  }

  RunSettings withWorkDir(String newWorkDir) {
    return new RunSettings(
        runId, newWorkDir, defaultConcurrency, sharedLimits, budget, prices, cacheDir, cacheMode, recordFile, time);
  }

  Price priceOf(String model) {
    return prices.getOrDefault(model, Price.FREE);
  }
}
