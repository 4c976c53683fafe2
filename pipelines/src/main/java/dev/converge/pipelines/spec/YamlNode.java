package dev.converge.pipelines.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node of a YAML document that remembers where it was written. */
sealed interface YamlNode {

  Location location();

  /** Whether this is an explicit null, like the empty value in {@code goal:}. */
  default boolean isNull() {
    return false;
  }

  /** The node as a string field reads it: the text of any scalar except null and binary. */
  default Optional<String> asText() {
    return Optional.empty();
  }

  /** The kinds of YAML scalars, as resolved by the YAML core schema. */
  enum ScalarKind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL,
    BINARY
  }

  /**
   * A scalar value.
   *
   * @param text the text as written (without quotes), so {@code 0123} stays {@code "0123"}
   * @param number the value of an {@link ScalarKind#INTEGER} (a BigInteger) or {@link
   *     ScalarKind#FLOAT} (a Double); null for other kinds
   */
  record Scalar(ScalarKind kind, String text, Number number, Location location)
      implements YamlNode {
    @Override
    public boolean isNull() {
      return kind == ScalarKind.NULL;
    }

    @Override
    public Optional<String> asText() {
      return kind == ScalarKind.NULL || kind == ScalarKind.BINARY
          ? Optional.empty()
          : Optional.of(text);
    }
  }

  record Sequence(List<YamlNode> items, Location location) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** A mapping whose keys keep their document order. */
  record Mapping(Map<String, Entry> entries, Location location) implements YamlNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The entry for {@code key}, or null. */
    Entry entry(String key) {
      return entries.get(key);
    }

    /** The value for {@code key}, or null. */
    YamlNode get(String key) {
      Entry entry = entries.get(key);
      return entry == null ? null : entry.value();
    }

    Optional<String> text(String key) {
      return Optional.ofNullable(get(key)).flatMap(YamlNode::asText);
    }
  }

  /** One key of a mapping, with the location of the key itself. */
  record Entry(String key, Location keyLocation, YamlNode value) {}
}
