package dev.converge.pipelines.change;

import dev.converge.pipelines.spec.BudgetSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.transforms.agent.BudgetLimits;
import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.agent.Price;
import dev.converge.transforms.agent.ResultCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a job's agent calls are configured: budget and prices from the spec, cache and recording
 * from the spec and the command line ({@link AgentCallOptions}), default concurrency from {@code
 * --parallelism}.
 *
 * <p>The cache folder is, in order: {@code --cache DIR}; the spec's {@code cache.dir} (relative to
 * the spec file); {@code cache/} in the output folder; {@code ~/.cache/converge} when the output
 * folder is not local (for example {@code gs://}).
 */
public final class AgentCallPlan implements java.io.Serializable {
  /** The cache folder's name in the output folder, when neither the spec nor the CLI names one. */
  public static final String DEFAULT_CACHE_FOLDER = "cache";

  private final BudgetLimits budget;
  private final Map<String, Price> prices;
  private final String specCacheDir;
  private final ResultCache.Mode specCacheMode;

  private AgentCallPlan(
      BudgetLimits budget, Map<String, Price> prices, String specCacheDir, ResultCache.Mode specCacheMode) {
    this.budget = budget;
    this.prices = prices;
    this.specCacheDir = specCacheDir;
    this.specCacheMode = specCacheMode;
  }

  public static AgentCallPlan of(Spec spec, Path specDir) {
    BudgetSpec b = spec.budget();
    BudgetLimits budget =
        b == null
            ? BudgetLimits.NONE
            : new BudgetLimits(
                b.maxUsd() == null ? 0 : b.maxUsd(),
                b.maxTokens() == null ? 0 : b.maxTokens(),
                b.maxUsdPerTask() == null ? 0 : b.maxUsdPerTask(),
                b.maxTokensPerTask() == null ? 0 : b.maxTokensPerTask());
    Map<String, Price> prices = new LinkedHashMap<>();
    spec.prices().forEach((model, price) -> prices.put(model, new Price(price.input(), price.output())));
    String cacheDir =
        spec.cache() == null || spec.cache().dir() == null
            ? null
            : spec.cache().dir().contains("://")
                ? spec.cache().dir()
                : specDir.resolve(spec.cache().dir()).toAbsolutePath().normalize().toString();
    ResultCache.Mode mode =
        spec.cache() == null || spec.cache().mode() == null
            ? ResultCache.Mode.READ_WRITE
            : ResultCache.Mode.named(spec.cache().mode());
    return new AgentCallPlan(budget, Map.copyOf(prices), cacheDir, mode);
  }

  public BudgetLimits budget() {
    return budget;
  }

  public Map<String, Price> prices() {
    return prices;
  }

  /** The cache folder this job uses with {@code options}, writing its outputs to {@code outputDir}. */
  public String cacheDir(PipelineOptions options, String outputDir) {
    AgentCallOptions calls = options.as(AgentCallOptions.class);
    if (!calls.getAgentCacheDir().isEmpty()) {
      // gs://bucket/cache and the like stay as they are; ResultCache reads them through FileSystems.
      return calls.getAgentCacheDir().contains("://")
          ? calls.getAgentCacheDir()
          : Path.of(calls.getAgentCacheDir()).toAbsolutePath().normalize().toString();
    }
    if (specCacheDir != null) {
      return specCacheDir;
    }
    if (outputDir.contains("://")) {
      return Path.of(System.getProperty("user.home"), ".cache", "converge").toString();
    }
    return Path.of(outputDir).resolve(DEFAULT_CACHE_FOLDER).toString();
  }

  public ResultCache.Mode cacheMode(PipelineOptions options) {
    String mode = options.as(AgentCallOptions.class).getAgentCacheMode();
    return mode.isEmpty() ? specCacheMode : ResultCache.Mode.named(mode);
  }

  /** {@code implement} with this job's budget, prices, cache, recording and concurrency. */
  public ImplementTasks configure(ImplementTasks implement, PipelineOptions options, String outputDir) {
    AgentCallOptions calls = options.as(AgentCallOptions.class);
    ImplementTasks configured =
        implement
            .withBudget(budget)
            .withPrices(prices)
            .withCache(cacheDir(options, outputDir))
            .withCacheMode(cacheMode(options));
    if (calls.getAgentConcurrency() > 0) {
      configured = configured.withDefaultConcurrency(calls.getAgentConcurrency());
    }
    if (calls.getAgentSpread() > 0) {
      configured = configured.withSpread(calls.getAgentSpread());
    }
    if (!calls.getRecordFile().isEmpty()) {
      configured =
          configured.withRecording(Path.of(calls.getRecordFile()).toAbsolutePath().normalize().toString());
    }
    return configured;
  }
}
