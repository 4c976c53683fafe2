package dev.converge.transforms.agent;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The money and tokens a job has spent, shared by every call of the job in a worker JVM.
 *
 * <p>A call may start only while nothing is spent out: {@link #refusal} is asked before every
 * request (retries included), {@link #charge} is told what each request cost once it is known. Calls
 * already in flight when a limit is reached still finish and are charged, so a job overshoots its
 * budget by at most what those calls cost; no new call starts after that.
 */
public final class Budget {
  /** Every refusal reason starts with this word; a task whose calls were all refused ends failed. */
  public static final String REASON_PREFIX = "budget";

  private final BudgetLimits limits;
  private long tokens;
  private double usd;
  private final Map<String, long[]> tokensByTask = new HashMap<>();
  private final Map<String, double[]> usdByTask = new HashMap<>();

  public Budget(BudgetLimits limits) {
    this.limits = limits == null ? BudgetLimits.NONE : limits;
  }

  public BudgetLimits limits() {
    return limits;
  }

  /** Why no new call may start for {@code taskId}, or empty when it may. */
  public synchronized Optional<String> refusal(String taskId) {
    if (limits.maxUsd() > 0 && usd >= limits.maxUsd()) {
      return Optional.of(
          String.format(Locale.ROOT, "%s: the job's budget of %s USD is spent (%s USD used)",
              REASON_PREFIX, money(limits.maxUsd()), money(usd)));
    }
    if (limits.maxTokens() > 0 && tokens >= limits.maxTokens()) {
      return Optional.of(
          String.format(Locale.ROOT, "%s: the job's budget of %d tokens is spent (%d tokens used)",
              REASON_PREFIX, limits.maxTokens(), tokens));
    }
    double taskUsd = usdByTask.getOrDefault(taskId, new double[1])[0];
    if (limits.maxUsdPerTask() > 0 && taskUsd >= limits.maxUsdPerTask()) {
      return Optional.of(
          String.format(Locale.ROOT, "%s: the task's budget of %s USD is spent (%s USD used)",
              REASON_PREFIX, money(limits.maxUsdPerTask()), money(taskUsd)));
    }
    long taskTokens = tokensByTask.getOrDefault(taskId, new long[1])[0];
    if (limits.maxTokensPerTask() > 0 && taskTokens >= limits.maxTokensPerTask()) {
      return Optional.of(
          String.format(Locale.ROOT, "%s: the task's budget of %d tokens is spent (%d tokens used)",
              REASON_PREFIX, limits.maxTokensPerTask(), taskTokens));
    }
    return Optional.empty();
  }

  /** Records what one request of {@code taskId} used. */
  public synchronized void charge(String taskId, long usedTokens, double usedUsd) {
    tokens += usedTokens;
    usd += usedUsd;
    tokensByTask.computeIfAbsent(taskId, t -> new long[1])[0] += usedTokens;
    usdByTask.computeIfAbsent(taskId, t -> new double[1])[0] += usedUsd;
  }

  public synchronized long tokens() {
    return tokens;
  }

  public synchronized double usd() {
    return usd;
  }

  private static String money(double value) {
    return String.format(Locale.ROOT, "%.4f", value).replaceAll("0{1,2}$", "");
  }
}
