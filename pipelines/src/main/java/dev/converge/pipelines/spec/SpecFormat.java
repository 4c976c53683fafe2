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
          Spec.class, List.of("name", "kind", "targets", "plan", "agents", "test"),
          TargetSpec.class, List.of("path"),
          TaskSpec.class, List.of("id", "instructions"),
          FanOutSpec.class, List.of("glob", "id", "instructions"),
          AgentSpec.class, List.of("id", "type"),
          TestSpec.class, List.of("command"));

  private static final Map<Field, List<String>> ALLOWED_VALUES =
      Map.of(
          new Field(Spec.class, "kind"), List.of("change"),
          new Field(AgentSpec.class, "type"), List.of(COMMAND_AGENT, SIMULATED_AGENT),
          new Field(VoteSpec.class, "strategy"), List.of("majority"));

  private static final Map<Field, Range> RANGES =
      Map.of(
          new Field(AgentSpec.class, "timeoutSeconds"), TIMEOUT_SECONDS,
          new Field(AgentSpec.class, "latencyMs"), new Range(0, Double.POSITIVE_INFINITY),
          new Field(AgentSpec.class, "wrongRate"), new Range(0, 1),
          new Field(ImplementSpec.class, "samples"), new Range(1, 100),
          new Field(TestSpec.class, "timeoutSeconds"), TIMEOUT_SECONDS);

  private static final Set<Field> ID_FIELDS =
      Set.of(
          new Field(TargetSpec.class, "id"),
          new Field(TaskSpec.class, "id"),
          new Field(AgentSpec.class, "id"));

  private SpecFormat() {}

  /**
   * The fields that must be present. Required lists must also be non-empty, and every string field
   * that is present must not be blank.
   */
  static List<String> requiredFields(Class<?> record) {
    return REQUIRED_FIELDS.getOrDefault(record, List.of());
  }

  static Optional<List<String>> allowedValues(Field field) {
    return Optional.ofNullable(ALLOWED_VALUES.get(field));
  }

  static Optional<Range> range(Field field) {
    return Optional.ofNullable(RANGES.get(field));
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
}
