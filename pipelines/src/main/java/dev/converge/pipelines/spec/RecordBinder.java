package dev.converge.pipelines.spec;

import dev.converge.pipelines.spec.SpecFormat.Field;
import dev.converge.pipelines.spec.YamlNode.Entry;
import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Scalar;
import dev.converge.pipelines.spec.YamlNode.ScalarKind;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a YAML tree against the shape of the spec records and builds them.
 *
 * <p>The shape comes from the record components (String, Integer, Long, Double, List, Map with
 * String keys, and nested records); {@link SpecFormat} adds what the types cannot say. Every
 * problem goes to {@link SpecErrors} and checking goes on, so one pass finds them all; a value is
 * only built when nothing inside it is wrong.
 *
 * <p>A string field also takes a YAML number or boolean, as the text written in the spec, so that
 * {@code [sleep, 5]} and {@code ref: 0123} mean what they look like. Number fields take no strings.
 * An explicit null ({@code goal:}) counts as an absent field.
 */
final class RecordBinder {
  private final SpecErrors errors;

  RecordBinder(SpecErrors errors) {
    this.errors = errors;
  }

  /** The record that {@code node} describes, or empty when it has errors (all reported). */
  <T extends Record> Optional<T> bind(YamlNode node, Class<T> type) {
    return bindValue(node, type, "").map(type::cast);
  }

  private Optional<Object> bindValue(YamlNode node, Type type, String path) {
    if (type == String.class) {
      return node.asText().map(Object.class::cast).or(() -> wrongShape(node, type, path));
    }
    if (type == Integer.class) {
      return integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE).map(BigInteger::intValue);
    }
    if (type == Long.class) {
      return integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE).map(BigInteger::longValue);
    }
    if (type == Double.class) {
      return node instanceof Scalar scalar && scalar.number() != null
          ? Optional.of(scalar.number().doubleValue())
          : wrongShape(node, type, path);
    }
    if (type instanceof Class<?> recordType && recordType.isRecord()) {
      return node instanceof Mapping mapping
          ? bindRecord(mapping, recordType, path)
          : wrongShape(node, type, path);
    }
    if (isList(type)) {
      return node instanceof Sequence sequence
          ? bindList(sequence, typeArgument(type, 0), path)
          : wrongShape(node, type, path);
    }
    if (isMap(type)) {
      return node instanceof Mapping mapping
          ? bindMap(mapping, typeArgument(type, 1), path)
          : wrongShape(node, type, path);
    }
    throw new IllegalArgumentException("Spec records cannot use " + type.getTypeName());
  }

  private Optional<Object> wrongShape(YamlNode node, Type type, String path) {
    errors.add(path, node.location(), "expected " + describe(type));
    return Optional.empty();
  }

  private Optional<BigInteger> integer(YamlNode node, String path, long min, long max) {
    if (!(node instanceof Scalar scalar && scalar.kind() == ScalarKind.INTEGER)) {
      errors.add(path, node.location(), "expected an integer");
      return Optional.empty();
    }
    BigInteger value = (BigInteger) scalar.number();
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      errors.add(path, node.location(), "integer out of range");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private Optional<Object> bindList(Sequence sequence, Type elementType, String path) {
    List<Object> values = new ArrayList<>();
    boolean valid = true;
    for (YamlNode item : sequence.items()) {
      Optional<Object> value = bindValue(item, elementType, FieldPath.element(path, values.size()));
      valid &= value.isPresent();
      values.add(value.orElse(null));
    }
    return valid ? Optional.of(values) : Optional.empty();
  }

  private Optional<Object> bindMap(Mapping mapping, Type valueType, String path) {
    Map<String, Object> values = new LinkedHashMap<>();
    boolean valid = true;
    for (Entry entry : mapping.entries().values()) {
      Optional<Object> value =
          bindValue(entry.value(), valueType, FieldPath.child(path, entry.key()));
      valid &= value.isPresent();
      values.put(entry.key(), value.orElse(null));
    }
    return valid ? Optional.of(values) : Optional.empty();
  }

  private Optional<Object> bindRecord(Mapping mapping, Class<?> type, String path) {
    RecordComponent[] components = type.getRecordComponents();
    boolean valid = reportUnknownKeys(mapping, components, path);
    List<String> required = SpecFormat.requiredFields(type);
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      String fieldPath = FieldPath.child(path, name);
      YamlNode node = mapping.get(name);
      if (node == null) {
        if (required.contains(name)) {
          errors.add(path, mapping.location(), "missing required field '" + name + "'");
          valid = false;
        }
      } else if (node.isNull()) {
        if (required.contains(name)) {
          errors.add(fieldPath, node.location(), "must not be empty");
          valid = false;
        }
      } else {
        Field field = new Field(type.asSubclass(Record.class), name);
        Optional<Object> value =
            bindValue(node, components[i].getGenericType(), fieldPath)
                .filter(v -> isAcceptable(field, v, required.contains(name), fieldPath, node));
        valid &= value.isPresent();
        values[i] = value.orElse(null);
      }
    }
    return valid ? Optional.of(construct(type, components, values)) : Optional.empty();
  }

  /** Reports the keys that name no component; returns whether there were none. */
  private boolean reportUnknownKeys(Mapping mapping, RecordComponent[] components, String path) {
    List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
    boolean valid = true;
    for (Entry entry : mapping.entries().values()) {
      if (!known.contains(entry.key())) {
        String hint = Suggestions.hint(entry.key(), known, "allowed keys");
        errors.add(
            FieldPath.child(path, entry.key()),
            entry.keyLocation(),
            "unknown key '" + entry.key() + "'" + hint);
        valid = false;
      }
    }
    return valid;
  }

  /**
   * Applies the rules of {@link SpecFormat} to a well-typed value; reports and returns false if
   * broken.
   */
  private boolean isAcceptable(
      Field field, Object value, boolean required, String path, YamlNode node) {
    boolean empty =
        (value instanceof String text && text.isBlank())
            || (required && value instanceof List<?> list && list.isEmpty());
    Optional<String> problem =
        empty ? Optional.of("must not be empty") : SpecFormat.violation(field, value);
    problem.ifPresent(message -> errors.add(path, node.location(), message));
    return problem.isEmpty();
  }

  private static Object construct(Class<?> type, RecordComponent[] components, Object[] values) {
    Class<?>[] parameterTypes =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      return type.getDeclaredConstructor(parameterTypes).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot build " + type.getSimpleName(), e);
    }
  }

  private static boolean isList(Type type) {
    return type instanceof ParameterizedType p && p.getRawType() == List.class;
  }

  private static boolean isMap(Type type) {
    return type instanceof ParameterizedType p && p.getRawType() == Map.class;
  }

  private static Type typeArgument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }

  /** Names a type for error messages, like "a list of strings". */
  private static String describe(Type type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == Long.class) {
      return "an integer";
    }
    if (type == Double.class) {
      return "a number";
    }
    if (isList(type)) {
      return "a list of " + describe(typeArgument(type, 0)).replaceFirst("^an? ", "") + "s";
    }
    return "a mapping";
  }
}
