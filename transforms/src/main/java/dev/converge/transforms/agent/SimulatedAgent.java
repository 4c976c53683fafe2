package dev.converge.transforms.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A clearly labelled synthetic model agent for dry runs, tests and benchmarks. It does not
 * understand the task: it answers with a diff that creates {@code .converge-simulated/<task>.txt}
 * holding either {@code correct} or, with probability {@code wrongRate}, a numbered wrong answer.
 *
 * <p>It behaves like a remote model: each request takes a latency drawn from a distribution
 * ({@code fixed}, {@code uniform} on [0, 2L], {@code exponential} with mean L, or {@code
 * lognormal} with median L and a heavy tail), and fails with the configured probabilities: HTTP 429
 * with a Retry-After, HTTP 500, a timeout (it waits the whole per-request timeout), or a malformed
 * answer without a diff. Token counts are estimated from the prompt and the answer.
 *
 * <p>Its answer depends only on the seed, the task id and the sample; errors and latency also on
 * the attempt, so a retry can succeed. Runs are reproducible.
 */
public final class SimulatedAgent implements ModelAgent {
  /** The folder a simulated agent writes to, so its changes are never mistaken for real ones. */
  public static final String OUTPUT_FOLDER = ".converge-simulated";

  /** How latencies are drawn around the configured latency L. */
  public enum LatencyDistribution {
    FIXED,
    UNIFORM,
    EXPONENTIAL,
    LOGNORMAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static LatencyDistribution named(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * Probabilities of each kind of failure, per request.
   *
   * @param rateLimit HTTP 429 with {@code Retry-After}
   * @param serverError HTTP 500
   * @param timeout no answer within the request timeout
   * @param malformed an answer without a diff
   */
  public record ErrorRates(double rateLimit, double serverError, double timeout, double malformed)
      implements java.io.Serializable {
    public static final ErrorRates NONE = new ErrorRates(0, 0, 0, 0);

    public ErrorRates {
      for (double rate : new double[] {rateLimit, serverError, timeout, malformed}) {
        if (!(rate >= 0 && rate <= 1)) {
          throw new IllegalArgumentException("error rates must be in [0, 1], got " + rate);
        }
      }
      if (rateLimit + serverError + timeout + malformed > 1 + 1e-9) {
        throw new IllegalArgumentException("error rates add up to more than 1");
      }
    }
  }

  private final String id;
  private final long seed;
  private final Duration latency;
  private final LatencyDistribution distribution;
  private final double wrongRate;
  private final double plausibleRate;
  private final ErrorRates errors;
  private final Duration retryAfter;
  private final String model;
  private final CallLimits limits;

  private SimulatedAgent(
      String id,
      long seed,
      Duration latency,
      LatencyDistribution distribution,
      double wrongRate,
      double plausibleRate,
      ErrorRates errors,
      Duration retryAfter,
      String model,
      CallLimits limits) {
    this.id = id;
    this.seed = seed;
    this.latency = latency;
    this.distribution = distribution;
    this.wrongRate = wrongRate;
    this.plausibleRate = plausibleRate;
    this.errors = errors;
    this.retryAfter = retryAfter;
    this.model = model;
    this.limits = limits;
  }

  public static SimulatedAgent of(String id) {
    return new SimulatedAgent(
        Objects.requireNonNull(id, "id"), 0, Duration.ZERO, LatencyDistribution.FIXED, 0, 0,
        ErrorRates.NONE, Duration.ofSeconds(1), "simulated", CallLimits.DEFAULT);
  }

  public SimulatedAgent withSeed(long newSeed) {
    return new SimulatedAgent(id, newSeed, latency, distribution, wrongRate, plausibleRate, errors, retryAfter, model, limits);
  }

  public SimulatedAgent withLatency(Duration newLatency) {
    if (newLatency == null || newLatency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive, got " + newLatency);
    }
    return new SimulatedAgent(id, seed, newLatency, distribution, wrongRate, plausibleRate, errors, retryAfter, model, limits);
  }

  public SimulatedAgent withLatencyDistribution(LatencyDistribution value) {
    return new SimulatedAgent(id, seed, latency, Objects.requireNonNull(value), wrongRate, plausibleRate, errors, retryAfter, model, limits);
  }

  public SimulatedAgent withWrongRate(double newWrongRate) {
    if (!(newWrongRate >= 0 && newWrongRate <= 1)) {
      throw new IllegalArgumentException("wrongRate must be in [0, 1], got " + newWrongRate);
    }
    return new SimulatedAgent(id, seed, latency, distribution, newWrongRate, plausibleRate, errors, retryAfter, model, limits);
  }

  /**
   * Of the wrong answers, the share that is plausible: {@code plausible-N} instead of {@code
   * wrong-N}, made to pass tests that only reject {@code wrong} answers (default 0). Benchmarks use
   * it for the wrong answers that only voting and verifiers can catch.
   */
  public SimulatedAgent withPlausibleRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("plausibleRate must be in [0, 1], got " + rate);
    }
    return new SimulatedAgent(id, seed, latency, distribution, wrongRate, rate, errors, retryAfter, model, limits);
  }

  public SimulatedAgent withErrors(ErrorRates value) {
    return new SimulatedAgent(id, seed, latency, distribution, wrongRate, plausibleRate, Objects.requireNonNull(value), retryAfter, model, limits);
  }

  /** The Retry-After of simulated 429 answers. */
  public SimulatedAgent withRetryAfter(Duration value) {
    return new SimulatedAgent(id, seed, latency, distribution, wrongRate, plausibleRate, errors, Objects.requireNonNull(value), model, limits);
  }

  /** The model name it reports (for price lookups); {@code simulated} by default. */
  public SimulatedAgent withModel(String value) {
    return new SimulatedAgent(id, seed, latency, distribution, wrongRate, plausibleRate, errors, retryAfter, Objects.requireNonNull(value), limits);
  }

  public SimulatedAgent withLimits(CallLimits value) {
    return new SimulatedAgent(id, seed, latency, distribution, wrongRate, plausibleRate, errors, retryAfter, model, Objects.requireNonNull(value));
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
  public String model() {
    return model;
  }

  @Override
  public CallLimits limits() {
    return limits;
  }

  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>();
    fingerprint.put("seed", Long.toString(seed));
    fingerprint.put("wrongRate", Double.toString(wrongRate));
    if (plausibleRate > 0) {
      fingerprint.put("plausibleRate", Double.toString(plausibleRate));
    }
    fingerprint.put("errors", errors.toString());
    fingerprint.put("model", model);
    return fingerprint;
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException, InterruptedException {
    String taskId = call.task().id();
    boolean verifying = call.prompt().system().equals(PromptBuilder.VERIFY_SYSTEM);
    String answer = verifying ? verdict(call) : answer(taskId, call.sample());
    SplittableRandom random = new SplittableRandom(mix(seed, taskId, call.sample(), call.attempt()));
    Duration wait = drawLatency(random);
    double roll = random.nextDouble();
    if ((roll -= errors.rateLimit()) < 0) {
      call.time().sleep(wait.dividedBy(10));
      throw AgentCallException.rateLimited("simulated HTTP 429: rate limit reached", retryAfter);
    }
    if ((roll -= errors.serverError()) < 0) {
      call.time().sleep(wait);
      throw AgentCallException.transientFailure("simulated HTTP 500: internal server error", null, null);
    }
    if ((roll -= errors.timeout()) < 0) {
      call.time().sleep(call.timeout());
      throw AgentCallException.transientFailure(
          "simulated: no answer within " + call.timeout().toSeconds() + " s (timeout)", null, null);
    }
    call.time().sleep(wait);
    String text;
    if ((roll -= errors.malformed()) < 0) {
      text =
          "simulated agent " + id
              + (verifying ? " judged the change, but forgot to answer in JSON.\n"
                  : " answered " + answer + ", but forgot to write a diff.\n");
    } else if (verifying) {
      text = answer + "\n";
    } else {
      text = "simulated agent " + id + " answered " + answer + "\n\n```diff\n" + diff(taskId, answer) + "```\n";
    }
    return new ModelReply(text, model, call.prompt().estimatedTokens(), text.length() / 4 + 1, "stop");
  }

  /** {@code correct}, or with probability {@code wrongRate} a numbered wrong or plausible answer. */
  private String answer(String taskId, int sample) {
    // The same draws as earlier versions, so a seed keeps giving the same answers.
    SplittableRandom answers = new SplittableRandom(seed ^ taskId.hashCode() * 31L ^ sample);
    if (answers.nextDouble() >= wrongRate) {
      return "correct";
    }
    int variant = answers.nextInt(3);
    return (answers.nextDouble() < plausibleRate ? "plausible-" : "wrong-") + variant;
  }

  /**
   * As a verifier: passes a change whose answer file says {@code correct} and fails any other,
   * except that with probability {@code wrongRate} it judges the other way. The draw depends on the
   * seed, the task, the change and the sample, so a repaired change gets a fresh judgement.
   */
  private String verdict(ModelCall call) {
    String user = call.prompt().user();
    String taskId = call.task().id();
    boolean correct = user.contains("\n+correct\n");
    SplittableRandom random =
        new SplittableRandom(mix(seed ^ user.hashCode() * 0x632BE59BD9B4E019L, taskId, call.sample(), -1));
    boolean passes = random.nextDouble() < wrongRate ? !correct : correct;
    String file = OUTPUT_FOLDER + "/" + taskId + ".txt";
    return passes
        ? "{\"verdict\": \"pass\", \"reasons\": [\"simulated: the answer looks right\"], \"score\": 0.9}"
        : "{\"verdict\": \"fail\", \"reasons\": [\"simulated: " + file + " does not hold the right answer\"],"
            + " \"locations\": [{\"file\": \"" + file + "\", \"line\": 1}], \"score\": 0.1}";
  }

  /** The diff that creates the answer file of {@code taskId}. */
  static String diff(String taskId, String answer) {
    String path = OUTPUT_FOLDER + "/" + taskId + ".txt";
    return "diff --git a/" + path + " b/" + path + "\n"
        + "new file mode 100644\n"
        + "--- /dev/null\n"
        + "+++ b/" + path + "\n"
        + "@@ -0,0 +1 @@\n"
        + "+" + answer + "\n";
  }

  private Duration drawLatency(SplittableRandom random) {
    long millis = latency.toMillis();
    if (millis == 0) {
      return Duration.ZERO;
    }
    double drawn =
        switch (distribution) {
          case FIXED -> millis;
          case UNIFORM -> random.nextDouble() * 2 * millis;
          case EXPONENTIAL -> -millis * Math.log(1 - random.nextDouble());
          case LOGNORMAL -> millis * Math.exp(gaussian(random));
        };
    return Duration.ofMillis(Math.round(drawn));
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static long mix(long seed, String taskId, int sample, int attempt) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h ^= taskId.hashCode() * 0xC2B2AE3D27D4EB4FL;
    h ^= (sample + 1L) * 0x165667B19E3779F9L;
    h ^= (attempt + 1L) * 0x27D4EB2F165667C5L;
    return h;
  }

  @Override
  public String toString() {
    return "SimulatedAgent[" + id + "]";
  }
}
