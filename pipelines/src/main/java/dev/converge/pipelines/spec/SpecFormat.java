package dev.converge.pipelines.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of the v1 spec format that are about single fields: which fields are required, which
 * take one of a few values, which are bounded numbers and which are ids. {@link RecordBinder}
 * enforces them and the tests check that {@code specs/converge.schema.json} says the same.
 */
final class SpecFormat {
  static final String COMMAND_AGENT = "command";
  static final String SIMULATED_AGENT = "simulated";
  static final String OPENAI_AGENT = "openai";
  static final String ANTHROPIC_AGENT = "anthropic";
  static final String REPLAY_AGENT = "replay";
  static final String CHANGE_KIND = "change";
  static final String REVIEW_KIND = "review";

  /**
   * The agent types that can be {@code plan.agent}: they answer in text (simulated agents answer
   * with a diff, replay agents replay implementation calls).
   */
  static final List<String> PLANNER_AGENTS = List.of(COMMAND_AGENT, OPENAI_AGENT, ANTHROPIC_AGENT);

  static final List<String> AGENT_TYPES =
      List.of(COMMAND_AGENT, OPENAI_AGENT, ANTHROPIC_AGENT, SIMULATED_AGENT, REPLAY_AGENT);

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final String ID_RULE =
      "ids start with a letter or digit and contain only letters, digits, '.', '_' and '-'";

  /** The placeholders that fan-out templates may use. */
  static final List<String> FAN_OUT_PLACEHOLDERS = List.of("path", "name", "stem");

  /** A field of a spec record. */
  record Field(Class<? extends Record> owner, String name) {}

  /** An inclusive range of numbers. */
  record Range(double min, double max) {
    boolean contains(double value) {
      return value >= min && value <= max;
    }

    String describe() {
      return max == Double.POSITIVE_INFINITY
          ? "must be " + format(min) + " or more"
          : "must be between " + format(min) + " and " + format(max);
    }

    private static String format(double value) {
      return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }

  private static final Range TIMEOUT_SECONDS = new Range(1, 86_400);

  private static final Map<Class<? extends Record>, List<String>> REQUIRED_FIELDS =
      Map.of(
          // 'plan' and 'test' (change jobs) and 'rules' and 'reviewers' (review jobs) are required
          // by kind: see KIND_REQUIRED_FIELDS.
          Spec.class, List.of("name", "kind", "targets", "agents"),
          TaskSpec.class, List.of("id", "instructions"),
          FanOutSpec.class, List.of("glob", "id", "instructions"),
          AgentSpec.class, List.of("id", "type"),
          TestSpec.class, List.of("command"));

  private static final Map<Field, List<String>> ALLOWED_VALUES =
      Map.of(
          new Field(Spec.class, "kind"), List.of(CHANGE_KIND, REVIEW_KIND),
          new Field(AgentSpec.class, "type"),
              AGENT_TYPES,
          new Field(VoteSpec.class, "strategy"),
              List.of("majority", "quorum", "unanimous", "best-of", "first"),
          new Field(ImplementSpec.class, "sampling"), List.of("fixed", "adaptive"),
          new Field(TestSpec.class, "sandbox"), List.of("auto", "on", "off"),
          new Field(AgentSpec.class, "sandbox"), List.of("auto", "on", "off"));

  /** Ranges of adaptive sampling. */
  private static final Map<Field, Range> SAMPLING_RANGES =
      Map.of(
          new Field(AdaptiveSpec.class, "minSamples"), new Range(1, 100),
          new Field(AdaptiveSpec.class, "maxSamples"), new Range(1, 100),
          new Field(AdaptiveSpec.class, "wave"), new Range(1, 100),
          new Field(AdaptiveSpec.class, "agree"), new Range(1, 100),
          new Field(AdaptiveSpec.class, "margin"), new Range(1, 100),
          new Field(VerifySpec.class, "confirmRepairs"), new Range(1, 5),
          new Field(VerifySpec.class, "repairSamples"), new Range(1, 20));

  private static final Map<Field, Range> RANGES =
      Map.of(
          new Field(AgentSpec.class, "timeoutSeconds"), TIMEOUT_SECONDS,
          new Field(AgentSpec.class, "latencyMs"), new Range(0, Double.POSITIVE_INFINITY),
          new Field(AgentSpec.class, "wrongRate"), new Range(0, 1),
          new Field(ImplementSpec.class, "samples"), new Range(1, 100),
          new Field(TestSpec.class, "timeoutSeconds"), TIMEOUT_SECONDS,
          new Field(VoteSpec.class, "quorum"), new Range(1, 1000),
          new Field(AgentSpec.class, "plausibleRate"), new Range(0, 1),
          new Field(VerifySpec.class, "rounds"), new Range(1, 10));

  /** Required fields of the agent-call sections ({@code prices}). */
  private static final Map<Class<? extends Record>, List<String>> AGENT_CALL_REQUIRED_FIELDS =
      Map.of(PriceSpec.class, List.of("input", "output"));

  /** Enumerations of the agent-call fields. */
  private static final Map<Field, List<String>> AGENT_CALL_ALLOWED_VALUES =
      Map.of(
          new Field(AgentSpec.class, "latencyDistribution"),
              List.of("fixed", "uniform", "exponential", "lognormal"),
          new Field(CacheSpec.class, "mode"), List.of("readwrite", "refresh", "off"));

  /** Ranges of the agent-call fields (providers, limits, budget, prices, simulated errors). */
  private static final Map<Field, Range> AGENT_CALL_RANGES =
      Map.ofEntries(
          Map.entry(new Field(AgentSpec.class, "maxTokens"), new Range(1, 1_000_000)),
          Map.entry(new Field(AgentSpec.class, "temperature"), new Range(0, 2)),
          Map.entry(new Field(AgentSpec.class, "concurrency"), new Range(1, 10_000)),
          Map.entry(new Field(AgentSpec.class, "requestsPerMinute"), new Range(1, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(AgentSpec.class, "tokensPerMinute"), new Range(1, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(AgentSpec.class, "maxAttempts"), new Range(1, 20)),
          Map.entry(new Field(AgentSpec.class, "retryAfterSeconds"), new Range(0, 3600)),
          Map.entry(new Field(ErrorRatesSpec.class, "rateLimit"), new Range(0, 1)),
          Map.entry(new Field(ErrorRatesSpec.class, "serverError"), new Range(0, 1)),
          Map.entry(new Field(ErrorRatesSpec.class, "timeout"), new Range(0, 1)),
          Map.entry(new Field(ErrorRatesSpec.class, "malformed"), new Range(0, 1)),
          Map.entry(new Field(BudgetSpec.class, "maxUsd"), new Range(0.001, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(BudgetSpec.class, "maxUsdPerTask"), new Range(0.001, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(BudgetSpec.class, "maxTokens"), new Range(1, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(BudgetSpec.class, "maxTokensPerTask"), new Range(1, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(PriceSpec.class, "input"), new Range(0, Double.POSITIVE_INFINITY)),
          Map.entry(new Field(PriceSpec.class, "output"), new Range(0, Double.POSITIVE_INFINITY)));

  /** Ranges of the spec-driven sections ({@code constraints}, {@code drift}). */
  private static final Map<Field, Range> SPEC_DRIVEN_RANGES =
      Map.of(
          new Field(ConstraintsSpec.class, "maxChangedLines"), new Range(1, Double.POSITIVE_INFINITY),
          new Field(ConstraintsSpec.class, "maxChangedFiles"), new Range(1, Double.POSITIVE_INFINITY),
          new Field(DriftSpec.class, "maxFilesOutsideScope"), new Range(0, Double.POSITIVE_INFINITY),
          new Field(DriftSpec.class, "maxNewFiles"), new Range(0, Double.POSITIVE_INFINITY),
          new Field(DriftSpec.class, "maxSizeRatio"), new Range(1, Double.POSITIVE_INFINITY));

  private static final Set<Field> ID_FIELDS =
      Set.of(
          new Field(TargetSpec.class, "id"),
          new Field(TaskSpec.class, "id"),
          new Field(AgentSpec.class, "id"),
          new Field(RuleSpec.class, "id"));

  /** Required fields of the review sections. */
  private static final Map<Class<? extends Record>, List<String>> REVIEW_REQUIRED_FIELDS =
      Map.of(
          RuleSpec.class, List.of("id", "title"),
          ReviewerSpec.class, List.of("agent"),
          VerifySpec.class, List.of("agent"));

  /** Enumerations of the review sections. */
  private static final Map<Field, List<String>> REVIEW_ALLOWED_VALUES =
      Map.of(
          new Field(RuleSpec.class, "severity"), List.of("critical", "high", "medium", "low"),
          new Field(ConsensusSpec.class, "similarity"), List.of("words", "trigrams", "none"),
          new Field(VerifySpec.class, "onError"), List.of("report", "drop"));

  /** Ranges of the review sections. */
  private static final Map<Field, Range> REVIEW_RANGES =
      Map.of(
          new Field(ReviewerSpec.class, "samples"), new Range(1, 100),
          new Field(ConsensusSpec.class, "quorum"), new Range(1, 100),
          new Field(ConsensusSpec.class, "minSimilarity"), new Range(0, 1),
          new Field(ConsensusSpec.class, "lineTolerance"), new Range(0, 1000),
          new Field(ChunkingSpec.class, "lines"), new Range(1, 100_000),
          new Field(ChunkingSpec.class, "overlap"), new Range(0, 99_999),
          new Field(ChunkingSpec.class, "rulesPerCall"), new Range(1, 1000));

  /** Top-level fields each kind requires, beyond those every spec requires. */
  static final Map<String, List<String>> KIND_REQUIRED_FIELDS =
      Map.of(CHANGE_KIND, List.of("plan", "test"), REVIEW_KIND, List.of("rules", "reviewers"));

  /** Top-level fields that only one kind takes; the other kind reports them as errors. */
  static final Map<String, List<String>> KIND_ONLY_FIELDS =
      Map.of(
          CHANGE_KIND,
          List.of("plan", "implement", "test", "vote", "merge", "context", "constraints", "drift"),
          REVIEW_KIND, List.of("rules", "reviewers", "consensus", "chunking", "state"));

  private SpecFormat() {}

  /**
   * The fields that must be present. Required lists must also be non-empty, and every string field
   * that is present must not be blank.
   */
  static List<String> requiredFields(Class<?> record) {
    return REQUIRED_FIELDS.getOrDefault(
        record,
        REVIEW_REQUIRED_FIELDS.getOrDefault(
            record, AGENT_CALL_REQUIRED_FIELDS.getOrDefault(record, List.of())));
  }

  static Optional<List<String>> allowedValues(Field field) {
    return Optional.ofNullable(ALLOWED_VALUES.get(field))
        .or(() -> Optional.ofNullable(REVIEW_ALLOWED_VALUES.get(field)))
        .or(() -> Optional.ofNullable(AGENT_CALL_ALLOWED_VALUES.get(field)));
  }

  static Optional<Range> range(Field field) {
    return Optional.ofNullable(RANGES.get(field))
        .or(() -> Optional.ofNullable(SAMPLING_RANGES.get(field)))
        .or(() -> Optional.ofNullable(SPEC_DRIVEN_RANGES.get(field)))
        .or(() -> Optional.ofNullable(REVIEW_RANGES.get(field)))
        .or(() -> Optional.ofNullable(AGENT_CALL_RANGES.get(field)));
  }

  static boolean isId(Field field) {
    return ID_FIELDS.contains(field);
  }

  /** What is wrong with {@code value} as the value of {@code field}, if anything. */
  static Optional<String> violation(Field field, Object value) {
    Optional<List<String>> allowed = allowedValues(field);
    if (allowed.isPresent() && !allowed.get().contains(value)) {
      String hint = Suggestions.hint((String) value, allowed.get(), "expected one of");
      return Optional.of("unknown " + field.name() + " '" + value + "'" + hint);
    }
    Optional<Range> range = range(field);
    if (range.isPresent() && !range.get().contains(((Number) value).doubleValue())) {
      return Optional.of(range.get().describe());
    }
    if (isId(field) && !ID.matcher((String) value).matches()) {
      return Optional.of("invalid id '" + value + "' (" + ID_RULE + ")");
    }
    return Optional.empty();
  }

  /** The fields of a target that say where its repositories are; a target has exactly one. */
  static final List<String> TARGET_SOURCES = List.of("path", "url", "list", "glob");

  /** The id of a target that has none: the last folder name of its path, if that is a valid id. */
  static Optional<String> defaultTargetId(String path) {
    try {
      return Optional.ofNullable(Path.of(path).normalize().getFileName())
          .map(Path::toString)
          .filter(name -> ID.matcher(name).matches());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /**
   * The id of a URL target that has none: the last part of the URL without {@code .git}, like
   * {@code svc} for {@code https://example.com/org/svc.git}, if that is a valid id.
   */
  static Optional<String> defaultTargetIdOfUrl(String url) {
    String trimmed = url.strip().replaceAll("[/\\\\]+$", "");
    if (trimmed.endsWith(".git")) {
      trimmed = trimmed.substring(0, trimmed.length() - 4);
    }
    String name = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
    return Optional.of(name).filter(n -> ID.matcher(n).matches());
  }
}
