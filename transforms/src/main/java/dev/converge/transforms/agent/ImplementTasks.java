package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * The Map step: runs every agent {@code samples} times on every task and emits one {@link
 * Candidate} per run, keyed by its task.
 *
 * <p>Agent calls are slow, rate-limited, expensive I/O, so they run asynchronously: a bundle starts
 * all of its calls at once and emits their candidates in {@code @FinishBundle}, each with the
 * timestamp and window of its input. How many are really in flight is decided per provider ({@link
 * Agent#providerKey()}): a pool of {@code concurrency} threads shared by every DoFn instance and
 * thread of the JVM, with the provider's requests-per-minute and tokens-per-minute limits ({@link
 * WindowLimiter}). Failed requests are retried with exponential backoff and jitter, honouring
 * Retry-After ({@link Retrying}); the budget stops new calls ({@link Budget}); answers are cached on
 * disk by content ({@link ResultCache}) and can be recorded for replay ({@link Cassette}).
 *
 * <p>Command agents run in their own private checkout of the task's base commit; model agents
 * need none: their diff is applied to the base commit with {@code git apply} ({@link
 * dev.converge.transforms.workspace.PatchMaterializer}).
 *
 * <p>Exactly one candidate leaves for every (task, agent, sample): a crash, a timeout, a rate limit
 * that never lifts, a malformed answer, the budget or a broken checkout becomes a candidate with
 * status {@code agent-failed} and the reason, never a lost element or a failed bundle.
 */
public final class ImplementTasks
    extends PTransform<PCollection<Task>, PCollection<KV<Task, Candidate>>> {

  /** Counter of agent calls made (cache hits and budget refusals are not calls). */
  public static final String AGENT_CALLS = "agentCalls";

  /** Gauge of the agent calls still running in a worker, sampled each time a bundle ends. */
  public static final String AGENT_CALLS_IN_FLIGHT = "agentCallsInFlight";

  /** Namespace of one counter per task, named by the task id: its finished attempts. */
  public static final String ATTEMPTS_DONE_BY_TASK = "converge.attemptsDone";

  /** Concurrency of agents that declare none. */
  public static final int DEFAULT_CONCURRENCY = 8;

  /**
   * Bundles the calls are spread over by default: one, which never leaves calls waiting for a free
   * runner thread; see {@link #withSpread}.
   */
  public static final int DEFAULT_SPREAD = 1;

  private final List<Agent> agents;
  private final int samples;
  private final String workDir;
  private final Options options;

  /** The optional settings, kept together so every withX stays a one-liner. */
  private record Options(
      int spread,
      int defaultConcurrency,
      BudgetLimits budget,
      Map<String, Price> prices,
      String cacheDir,
      ResultCache.Mode cacheMode,
      String recordFile,
      TimeSource time,
      int firstSample,
      String runId)
      implements java.io.Serializable {}

  private ImplementTasks(List<Agent> agents, int samples, String workDir, Options options) {
    this.agents = agents;
    this.samples = samples;
    this.workDir = workDir;
    this.options = options;
  }

  public static ImplementTasks with(List<? extends Agent> agents) {
    if (agents == null || agents.isEmpty()) {
      throw new IllegalArgumentException("at least one agent is needed");
    }
    return new ImplementTasks(
        List.copyOf(agents),
        1,
        System.getProperty("java.io.tmpdir") + "/converge-work",
        new Options(
            DEFAULT_SPREAD, DEFAULT_CONCURRENCY, BudgetLimits.NONE, Map.of(), null, ResultCache.Mode.READ_WRITE,
            null, TimeSource.system(), 0, null));
  }

  public ImplementTasks withSamples(int newSamples) {
    if (newSamples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + newSamples);
    }
    return new ImplementTasks(agents, newSamples, workDir, options);
  }

  /** The folder under which private worktrees are made (and removed when a run ends). */
  public ImplementTasks withWorkDir(String newWorkDir) {
    return new ImplementTasks(agents, samples, Objects.requireNonNull(newWorkDir, "workDir"), options);
  }

  /** How many calls of an agent that declares no concurrency may be in flight (default 8). */
  public ImplementTasks withDefaultConcurrency(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    Options o = options;
    return with(new Options(o.spread, concurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, o.recordFile, o.time, o.firstSample, o.runId));
  }

  /**
   * Over how many bundles the calls are spread (default 1): the attempts are grouped onto this
   * many keys, so each bundle starts its share of the calls at once and runners can spread the
   * bundles over their workers. On the Direct Runner, use its thread count ({@code
   * --parallelism}): every thread then waits in a bundle of calls instead of spinning the runner's
   * monitor loop, which takes a whole core whenever a thread is idle. More bundles than threads
   * would leave some calls waiting for a thread.
   */
  public ImplementTasks withSpread(int bundles) {
    if (bundles < 1) {
      throw new IllegalArgumentException("spread must be at least 1, got " + bundles);
    }
    Options o = options;
    return with(
        new Options(bundles, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, o.recordFile, o.time, o.firstSample, o.runId));
  }

  /** What the run may spend; when it is spent, no new call starts. */
  public ImplementTasks withBudget(BudgetLimits budget) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, Objects.requireNonNull(budget), o.prices, o.cacheDir, o.cacheMode, o.recordFile, o.time, o.firstSample, o.runId));
  }

  /** USD per million tokens by model name; models not listed cost nothing. */
  public ImplementTasks withPrices(Map<String, Price> prices) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, o.budget, Map.copyOf(prices), o.cacheDir, o.cacheMode, o.recordFile, o.time, o.firstSample, o.runId));
  }

  /** Caches answers in {@code dir} (read and write). Without it nothing is cached. */
  public ImplementTasks withCache(String dir) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, Objects.requireNonNull(dir, "dir"), o.cacheMode, o.recordFile, o.time, o.firstSample, o.runId));
  }

  /** How the cache is used: read and write (default), refresh (write only) or off. */
  public ImplementTasks withCacheMode(ResultCache.Mode mode) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, Objects.requireNonNull(mode), o.recordFile, o.time, o.firstSample, o.runId));
  }

  /** Records every live call to the cassette {@code file} (replaced at the start of the run). */
  public ImplementTasks withRecording(String file) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, Objects.requireNonNull(file), o.time, o.firstSample, o.runId));
  }

  /** The clock of rate limits, backoff and simulated latency (tests use a fake one). */
  public ImplementTasks withTimeSource(TimeSource time) {
    Options o = options;
    return with(
        new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, o.recordFile, Objects.requireNonNull(time), o.firstSample, o.runId));
  }

  /**
   * Numbers the samples from {@code first} instead of 0 (repair rounds use their own range, so
   * agents that seed their answers by sample give a fresh answer and cache keys stay distinct).
   */
  public ImplementTasks withFirstSample(int first) {
    if (first < 0) {
      throw new IllegalArgumentException("first sample must be 0 or more, got " + first);
    }
    Options o = options;
    return with(new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, o.recordFile, o.time, first, o.runId));
  }

  /**
   * Makes this stage part of run {@code id}: stages of one job that share the id share one budget,
   * one set of provider limits and one recording (by default every expansion is a run of its own).
   */
  public ImplementTasks withRunId(String id) {
    Options o = options;
    return with(new Options(o.spread, o.defaultConcurrency, o.budget, o.prices, o.cacheDir, o.cacheMode, o.recordFile, o.time, o.firstSample, Objects.requireNonNull(id, "runId")));
  }

  private ImplementTasks with(Options newOptions) {
    return new ImplementTasks(agents, samples, workDir, newOptions);
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<Task> tasks) {
    KvCoder<Task, Integer> attemptCoder = KvCoder.of(JsonCoder.of(Task.class), VarIntCoder.of());
    RunSettings settings = runSettings();
    // A bundle starts all of its calls at once and providers' pools bound them, so big bundles are
    // what keeps many calls in flight: the attempts are spread over a few keys (a Reshuffle onto a
    // random key per element would give the Direct Runner one-element bundles, and at most one
    // call in flight per thread).
    return tasks
        .apply("ExpandAttempts", ParDo.of(new ExpandAttemptsFn(agents.size(), samples)))
        .setCoder(attemptCoder)
        .apply("SpreadAttempts", ParDo.of(new SpreadFn(options.spread)))
        .setCoder(KvCoder.of(VarIntCoder.of(), attemptCoder))
        .apply("GroupIntoBundles", Reshuffle.of())
        .apply("Attempts", Values.create())
        .setCoder(attemptCoder)
        .apply("RunAgents", ParDo.of(new RunAgentFn(agents, samples, options.firstSample, settings)))
        .setCoder(KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class)));
  }

  /** What this stage's calls share with every stage of the same run id (a new run id when none was given). */
  RunSettings runSettings() {
    return new RunSettings(
        options.runId == null ? UUID.randomUUID().toString() : options.runId,
        workDir,
        options.defaultConcurrency,
        sharedLimits(agents),
        options.budget,
        options.prices,
        options.cacheDir,
        options.cacheMode,
        options.recordFile,
        options.time);
  }

  /** The run id given with {@link #withRunId}, or null. */
  String runId() {
    return options.runId;
  }

  /** The strictest shared limits of the agents of each provider. */
  static Map<String, CallLimits> sharedLimits(List<Agent> agents) {
    Map<String, CallLimits> shared = new HashMap<>();
    for (Agent agent : agents) {
      shared.merge(agent.providerKey(), agent.limits(), CallLimits::strictestSharedLimits);
    }
    return shared;
  }

  /** One element per (task, attempt number); the attempt number encodes agent and sample. */
  static final class ExpandAttemptsFn extends DoFn<Task, KV<Task, Integer>> {
    private final int agentCount;
    private final int samples;

    ExpandAttemptsFn(int agentCount, int samples) {
      this.agentCount = agentCount;
      this.samples = samples;
    }

    @ProcessElement
    public void process(@Element Task task, OutputReceiver<KV<Task, Integer>> out) {
      for (int attempt = 0; attempt < agentCount * samples; attempt++) {
        out.output(KV.of(task, attempt));
      }
    }
  }

  /** Keys each attempt by one of {@code spread} bundle numbers, evenly. */
  static final class SpreadFn extends DoFn<KV<Task, Integer>, KV<Integer, KV<Task, Integer>>> {
    private final int spread;

    SpreadFn(int spread) {
      this.spread = spread;
    }

    @ProcessElement
    public void process(
        @Element KV<Task, Integer> attempt, OutputReceiver<KV<Integer, KV<Task, Integer>>> out) {
      int key = Math.floorMod(attempt.getKey().id().hashCode() * 31 + attempt.getValue(), spread);
      out.output(KV.of(key, attempt));
    }
  }

  /**
   * Starts a call per element and emits the candidates when the bundle finishes. The futures never
   * fail (see {@link AgentRuntime#submit}), so every element gets exactly one candidate.
   */
  static final class RunAgentFn extends DoFn<KV<Task, Integer>, KV<Task, Candidate>> {
    private final Counter calls = Metrics.counter(ImplementTasks.class, AGENT_CALLS);
    private final Gauge inFlight = Metrics.gauge(ImplementTasks.class, AGENT_CALLS_IN_FLIGHT);
    private final List<Agent> agents;
    private final int samples;
    private final int firstSample;
    private final RunSettings settings;
    private transient AgentRuntime runtime;
    private transient List<Pending> pending;

    RunAgentFn(List<Agent> agents, int samples, int firstSample, RunSettings settings) {
      this.agents = agents;
      this.samples = samples;
      this.firstSample = firstSample;
      this.settings = settings;
    }

    /** A call in flight and where its candidate goes. */
    private record Pending(
        Task task, CompletableFuture<Candidate> candidate, Instant timestamp, BoundedWindow window) {}

    @Setup
    public void setup() {
      runtime = AgentRuntime.of(settings);
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(
        @Element KV<Task, Integer> attempt, @Timestamp Instant timestamp, BoundedWindow window) {
      Task task = attempt.getKey();
      Agent agent = agents.get(attempt.getValue() / samples);
      int sample = firstSample + attempt.getValue() % samples;
      pending.add(new Pending(task, runtime.submit(task, agent, sample), timestamp, window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Pending call : pending) {
        Candidate candidate = call.candidate().join();
        if (candidate.calledAgent()) {
          calls.inc();
        }
        Metrics.counter(ATTEMPTS_DONE_BY_TASK, call.task().id()).inc();
        context.output(KV.of(call.task(), candidate), call.timestamp(), call.window());
      }
      inFlight.set(runtime.inFlight());
      pending = new ArrayList<>();
    }
  }
}
