package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Texts;
import dev.converge.transforms.workspace.PatchGuard;
import dev.converge.transforms.workspace.PatchMaterializer;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.UnsafeChangeException;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The shared machinery of one {@link ImplementTasks} run in one JVM: a bounded pool of threads per
 * provider (its concurrency limit), the provider's rate limits, the budget, the cache and the
 * recorder. Every DoFn instance and thread of the run in this JVM uses the same instance.
 *
 * <p>One attempt goes: prepare (prompt, cache key, cache lookup) on a small CPU pool; for a command
 * agent its checkout on the provider's checkout pool; the call on the provider's pool (budget,
 * rate limits, retries; for a command agent its run and diff); then finish (diff extraction,
 * {@code git apply}, cache write, recording, removing the checkout) on the CPU pool again, so a
 * provider slot is held only while a call is really in flight. Every path ends in a
 * {@link Candidate}: failures are data.
 */
final class AgentRuntime {
  private static final Map<String, AgentRuntime> RUNS = new ConcurrentHashMap<>();
  private static final int LOG_TAIL_CHARS = ProcessRunner.DEFAULT_TAIL_CHARS;

  /** Short CPU and disk work around the calls; shared by every run in the JVM. */
  private static final ExecutorService CPU =
      pool("converge-agents-cpu", Math.max(2, Runtime.getRuntime().availableProcessors()));

  /**
   * Most threads per command provider that make checkouts (a few files and one git process each,
   * so mostly waiting for the process). bench-agents (64 agents of 1 s, a 10-file repository)
   * measured the same rate with 4 and with 16, about 62 calls started per second, which the calls'
   * own start and clean-up set; 16 leaves room for repositories whose checkouts take longer.
   */
  private static final int MAX_CHECKOUT_THREADS = 16;

  private final RunSettings settings;
  private final Budget budget;
  private final ResultCache cache;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private AgentRuntime(RunSettings settings) {
    this.settings = settings;
    this.budget = new Budget(settings.budget());
    this.cache =
        settings.cacheDir() == null || settings.cacheMode() == ResultCache.Mode.OFF
            ? null
            : ResultCache.at(settings.cacheDir(), settings.cacheMode());
  }

  static AgentRuntime of(RunSettings settings) {
    return RUNS.computeIfAbsent(settings.runId(), id -> new AgentRuntime(settings));
  }

  Budget budget() {
    return budget;
  }

  /** The run's answer cache, or null when it has none. */
  ResultCache cache() {
    return cache;
  }

  /**
   * Runs {@code call} in one of {@code agent}'s provider slots (the slots every stage of the run
   * shares), counted as a call in flight. For calls made outside {@link #submit}: verifiers.
   */
  <T> CompletableFuture<T> inSlot(Agent agent, Supplier<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          inFlight.incrementAndGet();
          try {
            return call.get();
          } finally {
            inFlight.decrementAndGet();
          }
        },
        provider(agent).executor);
  }

  /** Calls running right now in this JVM for this run. */
  int inFlight() {
    return inFlight.get();
  }

  /** Starts one attempt; the future always completes with a candidate, never exceptionally. */
  CompletableFuture<Candidate> submit(Task task, Agent agent, int sample) {
    CompletableFuture<Candidate> result;
    try {
      result =
          CompletableFuture.supplyAsync(() -> prepare(task, agent, sample), CPU)
              .thenCompose(
                  prepared ->
                      prepared.done != null
                          ? CompletableFuture.completedFuture(prepared.done)
                          : callAndFinish(prepared));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle(
        (candidate, failure) ->
            candidate != null
                ? candidate
                : new Attempt(task, agent, sample).failed("internal error: " + describe(failure)));
  }

  // ---------------------------------------------------------------- prepare

  private Attempt prepare(Task task, Agent agent, int sample) {
    Attempt attempt = new Attempt(task, agent, sample);
    try {
      if (agent instanceof ModelAgent model) {
        attempt.prompt = PromptBuilder.atBaseCommit(task);
        if (cache != null && model.cacheable()) {
          attempt.cacheKey = CacheKeys.forModel(model, attempt.prompt, sample);
        }
      } else if (cache != null) {
        attempt.cacheKey = CacheKeys.forCommand(agent, task, sample);
      }
      if (attempt.cacheKey != null) {
        Optional<Candidate> hit = cache.lookup(attempt.cacheKey);
        if (hit.isPresent()
            && hit.get().taskId().equals(task.id())
            && hit.get().agentId().equals(agent.id())
            && hit.get().sample() == sample) {
          attempt.done = hit.get();
        }
      }
    } catch (IOException | RuntimeException e) {
      attempt.done = attempt.failed("cannot prepare the call: " + describe(e));
    }
    return attempt;
  }

  // ---------------------------------------------------------------- call

  /**
   * The call on the provider's pool, then finish on the CPU pool. A command agent's checkout is
   * made before, on its provider's checkout pool, and removed after (in {@link #finish}), so the
   * slot is held while the agent runs and its change is read, not while git fills a checkout.
   */
  private CompletableFuture<Candidate> callAndFinish(Attempt attempt) {
    Provider provider = provider(attempt.agent);
    CompletableFuture<Attempt> ready =
        provider.checkouts == null
            ? CompletableFuture.completedFuture(attempt)
            : CompletableFuture.supplyAsync(() -> checkout(attempt, provider), provider.checkouts);
    return ready
        .thenApplyAsync(a -> a.done != null ? a : call(a), provider.executor)
        .thenApplyAsync(this::finish, CPU);
  }

  /**
   * Makes the attempt's checkout once one of the provider's places for checkouts is free (twice
   * its concurrency; given back when the checkout is removed), so the next calls' checkouts are
   * ready when slots free up, and no more than that many checkouts are on disk at once.
   */
  private Attempt checkout(Attempt attempt, Provider provider) {
    try {
      provider.checkoutPlaces.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attempt.done = attempt.failed("interrupted");
      return attempt;
    }
    attempt.checkoutPlaces = provider.checkoutPlaces;
    Task task = attempt.task;
    try {
      attempt.worktree =
          Worktrees.checkoutBorrowing(
              task.repoPath(),
              task.baseCommit(),
              Path.of(settings.workDir()),
              task.id() + "-" + attempt.agent.id() + "-" + attempt.sample);
      attempt.before = Worktrees.snapshot(attempt.worktree);
    } catch (IOException | RuntimeException e) {
      attempt.done = attempt.failed(describe(e));
    }
    return attempt;
  }

  private Attempt call(Attempt attempt) {
    inFlight.incrementAndGet();
    try {
      if (attempt.agent instanceof ModelAgent model) {
        callModel(attempt, model);
      } else {
        callCommand(attempt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attempt.done = attempt.failed("interrupted");
    } catch (RuntimeException e) {
      attempt.done = attempt.failed("internal error: " + describe(e));
    } finally {
      inFlight.decrementAndGet();
    }
    return attempt;
  }

  private void callModel(Attempt attempt, ModelAgent agent) throws InterruptedException {
    Task task = attempt.task;
    boolean charged = agent.cacheable();
    Price price = charged ? settings.priceOf(agent.model()) : Price.FREE;
    Retrying.Gate gate = gate(agent, task.id(), attempt.prompt, price, charged);
    attempt.price = price;
    attempt.outcome =
        Retrying.call(
            agent,
            new ModelCall(task, attempt.prompt, attempt.sample, 1, agent.limits().timeout(), settings.time()),
            gate,
            settings.time(),
            (task.id() + "\u0000" + agent.id() + "\u0000" + attempt.sample).hashCode());
    if (attempt.outcome.reply() == null) {
      // Refused by the budget, or failed after every retry: not an answer, so never cached.
      attempt.done = attempt.candidate(CandidateStatus.AGENT_FAILED, "", attempt.outcome.failure(), "");
    } else {
      attempt.cacheable = charged;
    }
  }

  /**
   * Before each request of a model agent (retries included): the budget's refusal, then the
   * provider's rate limits (tokens reserved for the prompt and the longest answer); after it, the
   * provider's count of tokens settles the reservation and is charged to the budget.
   */
  Retrying.Gate gate(ModelAgent agent, String taskId, Prompt prompt, Price price, boolean charged) {
    Provider provider = provider(agent);
    long reserve = prompt.estimatedTokens() + Math.max(0, agent.maxOutputTokens());
    return new Retrying.Gate() {
      private WindowLimiter.Permit tokenPermit;

      @Override
      public Retrying.Admission beforeRequest(int number) throws InterruptedException {
        Optional<String> refusal = charged ? budget.refusal(taskId) : Optional.empty();
        if (refusal.isPresent()) {
          return Retrying.Admission.refused(refusal.get());
        }
        tokenPermit = provider.tokens == null ? null : provider.tokens.acquire(reserve);
        return Retrying.Admission.at(
            provider.requests != null
                ? provider.requests.acquire(1).grantedAtMillis()
                : settings.time().nowMillis());
      }

      @Override
      public void afterRequest(long inputTokens, long outputTokens) {
        if (tokenPermit != null) {
          tokenPermit.settle(inputTokens + outputTokens);
        }
        if (charged) {
          budget.charge(taskId, inputTokens + outputTokens, price.cost(inputTokens, outputTokens));
        }
      }
    };
  }

  /**
   * Before a command agent runs: the budget's refusal (once spent, no new run starts), else waits
   * for the provider's request limit and returns empty.
   */
  Optional<String> admitCommand(Agent agent, String taskId) throws InterruptedException {
    Optional<String> refusal = budget.refusal(taskId);
    if (refusal.isEmpty()) {
      Provider provider = provider(agent);
      if (provider.requests != null) {
        provider.requests.acquire(1);
      }
    }
    return refusal;
  }

  private void callCommand(Attempt attempt) throws InterruptedException {
    Task task = attempt.task;
    Optional<String> refusal = admitCommand(attempt.agent, task.id());
    if (refusal.isPresent()) {
      attempt.done = attempt.failed(refusal.get());
      return;
    }
    Path worktree = attempt.worktree;
    try {
      long startedAt = settings.time().nowMillis();
      ProcessRunner.Result result = attempt.agent.implement(task, attempt.sample, worktree);
      attempt.command(startedAt, result);
      if (result.timedOut()) {
        attempt.done = attempt.candidate(
            CandidateStatus.AGENT_FAILED, "", "timed out after " + result.durationMs() + " ms", result.outputTail());
        return;
      }
      attempt.cacheable = true;
      if (result.exitCode() != 0) {
        attempt.done = attempt.candidate(
            CandidateStatus.AGENT_FAILED, "", "exited with code " + result.exitCode(), result.outputTail());
        return;
      }
      String patch = Worktrees.agentDiff(worktree, task.repoPath(), task.baseCommit(), attempt.before);
      attempt.done =
          patch.isBlank()
              ? attempt.candidate(CandidateStatus.NO_CHANGE, "", "made no change", result.outputTail())
              : attempt.produced(patch, result.outputTail());
    } catch (UnsafeChangeException e) {
      attempt.done = attempt.unsafe(e.getMessage(), "");
    } catch (IOException e) {
      attempt.cacheable = false;
      attempt.done = attempt.failed(describe(e));
    }
  }

  // ---------------------------------------------------------------- finish

  private Candidate finish(Attempt attempt) {
    attempt.removeCheckout();
    if (attempt.done == null) {
      attempt.done = fromReply(attempt);
    }
    if (attempt.cacheable && attempt.done.calledAgent()) {
      store(attempt);
      record(attempt);
    }
    return attempt.done;
  }

  private Candidate fromReply(Attempt attempt) {
    ModelReply reply = attempt.outcome.reply();
    String text = reply.text();
    Optional<String> diff = DiffExtractor.extract(text);
    String cut = reply.truncated() ? " (the answer was cut off at the output token limit)" : "";
    if (diff.isEmpty()) {
      return attempt.candidate(
          CandidateStatus.AGENT_FAILED, "", "malformed output: the answer holds no diff" + cut, text);
    }
    if (diff.get().isBlank()) {
      return attempt.candidate(CandidateStatus.NO_CHANGE, "", "made no change", text);
    }
    Task task = attempt.task;
    try {
      PatchMaterializer.Result applied =
          PatchMaterializer.apply(task.repoPath(), task.baseCommit(), diff.get(), Path.of(settings.workDir()));
      if (!applied.applied()) {
        return attempt.candidate(
            CandidateStatus.AGENT_FAILED, "",
            "malformed output: the diff does not apply: " + applied.error() + cut, text);
      }
      return applied.patch().isBlank()
          ? attempt.candidate(CandidateStatus.NO_CHANGE, "", "made no change", text)
          : attempt.produced(applied.patch(), text);
    } catch (IOException e) {
      attempt.cacheable = false;
      return attempt.candidate(
          CandidateStatus.AGENT_FAILED, "", "cannot apply the answer: " + describe(e), text);
    }
  }

  private void store(Attempt attempt) {
    if (cache == null || attempt.cacheKey == null) {
      return;
    }
    try {
      cache.store(attempt.cacheKey, attempt.done);
    } catch (IOException e) {
      // A cache that cannot be written only costs a call on the next run.
    }
  }

  private void record(Attempt attempt) {
    if (settings.recordFile() == null) {
      return;
    }
    ModelReply reply = attempt.outcome == null ? null : redacted(attempt.outcome.reply());
    Candidate candidate = reply == null ? attempt.done.withTest(null) : null;
    try {
      Cassette.recorder(settings.runId(), Path.of(settings.recordFile()))
          .record(
              new Cassette.Entry(
                  attempt.agent.id(),
                  attempt.agent.kind(),
                  attempt.done.model(),
                  attempt.task.id(),
                  attempt.sample,
                  CacheKeys.inputs(attempt.task),
                  reply,
                  candidate,
                  attempt.done.durationMs()));
    } catch (IOException e) {
      // The job's result does not depend on its recording; a missing line fails its replay later.
    }
  }

  /** The reply as a cassette keeps it: without keys (a diff that held one replays without it). */
  private static ModelReply redacted(ModelReply reply) {
    return reply == null
        ? null
        : new ModelReply(
            Redactor.redact(reply.text()), reply.model(), reply.inputTokens(), reply.outputTokens(), reply.stopReason());
  }

  // ---------------------------------------------------------------- providers

  private Provider provider(Agent agent) {
    String key = agent.providerKey();
    return providers.computeIfAbsent(
        key,
        k -> {
          CallLimits shared = settings.sharedLimits().getOrDefault(k, agent.limits());
          int concurrency = shared.concurrency() > 0 ? shared.concurrency() : settings.defaultConcurrency();
          return new Provider(
              pool("converge-agents-" + agent.kind(), concurrency),
              agent instanceof ModelAgent ? null : pool("converge-checkouts-" + agent.kind(), Math.min(concurrency, MAX_CHECKOUT_THREADS)),
              agent instanceof ModelAgent ? null : new Semaphore(2 * concurrency),
              shared.requestsPerMinute() > 0
                  ? WindowLimiter.perMinute(shared.requestsPerMinute(), settings.time())
                  : null,
              shared.tokensPerMinute() > 0
                  ? WindowLimiter.perMinute(shared.tokensPerMinute(), settings.time())
                  : null);
        });
  }

  /**
   * A provider's concurrency limit (its pool's size), rate limits, and for command agents the pool
   * that makes checkouts ahead of the calls and the places for checkouts on disk.
   */
  private record Provider(
      ExecutorService executor,
      ExecutorService checkouts,
      Semaphore checkoutPlaces,
      WindowLimiter requests,
      WindowLimiter tokens) {}

  /** A pool of at most {@code threads} daemon threads that go away when idle. */
  private static ExecutorService pool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  // ---------------------------------------------------------------- one attempt

  /** One (task, agent, sample) on its way to a candidate. */
  private final class Attempt {
    final Task task;
    final Agent agent;
    final int sample;
    Prompt prompt;
    String cacheKey;
    Retrying.Outcome outcome;
    Price price = Price.FREE;
    long startedAt;
    long durationMs;
    int attempts;
    boolean cacheable;
    Candidate done;
    /** A command agent's checkout and what its files looked like before the agent ran. */
    Path worktree;
    Optional<Map<String, List<Object>>> before = Optional.empty();
    /** Where the checkout took its place on disk from; given back when it is removed. */
    Semaphore checkoutPlaces;

    Attempt(Task task, Agent agent, int sample) {
      this.task = task;
      this.agent = agent;
      this.sample = sample;
    }

    void removeCheckout() {
      Worktrees.delete(worktree);
      worktree = null;
      if (checkoutPlaces != null) {
        checkoutPlaces.release();
        checkoutPlaces = null;
      }
    }

    void command(long startedAtMillis, ProcessRunner.Result result) {
      startedAt = startedAtMillis;
      durationMs = result.durationMs();
      attempts = 1;
    }

    /** A candidate with {@code patch}, unless {@link PatchGuard} refuses it. */
    Candidate produced(String patch, String log) {
      Optional<String> refusal = PatchGuard.refusal(patch);
      return refusal.isPresent()
          ? unsafe(refusal.get(), log)
          : candidate(CandidateStatus.PRODUCED, patch, "", log);
    }

    /** A candidate failed because the agent's change is one no candidate may make. */
    Candidate unsafe(String why, String log) {
      return candidate(CandidateStatus.AGENT_FAILED, "", "unsafe change refused: the agent " + why, log);
    }

    /** A failure before any call was made (or one that must not count as a call's answer). */
    Candidate failed(String reason) {
      return candidate(CandidateStatus.AGENT_FAILED, "", reason, "");
    }

    Candidate candidate(CandidateStatus status, String patch, String reason, String log) {
      long inputTokens = 0;
      long outputTokens = 0;
      long started = startedAt;
      long duration = durationMs;
      int requests = attempts;
      String model = agent.model();
      if (outcome != null) {
        started = outcome.startedAtMillis();
        duration = outcome.durationMillis();
        requests = outcome.attempts();
        ModelReply reply = outcome.reply();
        if (reply != null) {
          inputTokens = reply.inputTokens();
          outputTokens = reply.outputTokens();
          if (!reply.model().isEmpty()) {
            model = reply.model();
          }
        }
      }
      return new Candidate(
          task.id(),
          agent.id(),
          agent.kind(),
          sample,
          status,
          patch,
          patch.isEmpty() ? "" : Worktrees.patchHash(patch),
          Redactor.redact(reason),
          Texts.tail(Redactor.redact(log), LOG_TAIL_CHARS),
          duration,
          false,
          null,
          started,
          model,
          inputTokens,
          outputTokens,
          Math.round(price.cost(inputTokens, outputTokens) * 1e9) / 1e9,
          requests);
    }
  }

}
