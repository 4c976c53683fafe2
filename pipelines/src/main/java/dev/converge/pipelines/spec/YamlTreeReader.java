package dev.converge.pipelines.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.converge.pipelines.spec.YamlNode.Entry;
import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Scalar;
import dev.converge.pipelines.spec.YamlNode.ScalarKind;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML text of a spec into a {@link YamlNode} tree.
 *
 * <p>Specs are untrusted, so the reader bounds the work one can cause: it refuses text longer than
 * {@link #MAX_CHARS} and nesting deeper than {@link #MAX_DEPTH}, and it refuses aliases ({@code
 * *name}) altogether. Jackson streams SnakeYAML's events without composing a node graph, so
 * SnakeYAML's own alias and nesting limits never apply; refusing aliases is what makes alias bombs
 * harmless. Anchors ({@code &name}) alone are ignored.
 *
 * <p>Duplicate keys are reported and the first value is kept. Syntax errors, aliases and the limits
 * end the reading.
 */
final class YamlTreeReader {
  static final int MAX_CHARS = 1 << 20;
  static final int MAX_DEPTH = 32;

  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .loaderOptions(loaderOptions())
          // So that "goal:" is an absent value, while goal: "" stays an empty string.
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();

  private final YAMLParser parser;
  private final SpecErrors errors;

  private YamlTreeReader(YAMLParser parser, SpecErrors errors) {
    this.parser = parser;
    this.errors = errors;
  }

  /** Reads the single document of {@code yaml}, which must be a mapping. */
  static Mapping read(String yaml, SpecErrors errors) throws SpecException {
    if (yaml.length() > MAX_CHARS) {
      throw errors.fatal(
          "",
          Location.UNKNOWN,
          "the spec is longer than the limit of " + MAX_CHARS + " characters");
    }
    try (YAMLParser parser = YAML.createParser(yaml)) {
      return new YamlTreeReader(parser, errors).readDocument();
    } catch (JsonProcessingException e) {
      throw errors.fatal("", locationOf(e), describe(e));
    } catch (IOException | YAMLException e) {
      throw errors.fatal("", Location.UNKNOWN, "cannot read the YAML: " + e.getMessage());
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    // The one SnakeYAML limit the event stream honours; it backs up the length check in read().
    options.setCodePointLimit(MAX_CHARS);
    return options;
  }

  private Mapping readDocument() throws IOException, SpecException {
    if (parser.nextToken() == null) {
      throw errors.fatal("", Location.UNKNOWN, "the spec is empty");
    }
    YamlNode root = readValue("", 0);
    if (root.isNull()) {
      throw errors.fatal("", Location.UNKNOWN, "the spec is empty");
    }
    if (!(root instanceof Mapping mapping)) {
      throw errors.fatal(
          "",
          root.location(),
          "expected a mapping of spec fields (name, kind, ...) at the top level");
    }
    if (parser.nextToken() != null) {
      errors.add(
          "", currentLocation(), "found a second YAML document; a spec is a single document");
    }
    return mapping;
  }

  private YamlNode readValue(String path, int depth) throws IOException, SpecException {
    Location at = currentLocation();
    if (parser.isCurrentAlias()) {
      throw errors.fatal(
          path,
          at,
          "YAML aliases are not supported (found '*"
              + parser.getText()
              + "'); write the value out");
    }
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> readMapping(path, depth + 1, at);
      case START_ARRAY -> readSequence(path, depth + 1, at);
      case VALUE_STRING -> scalar(ScalarKind.STRING, null, at);
      case VALUE_NUMBER_INT -> scalar(ScalarKind.INTEGER, parser.getBigIntegerValue(), at);
      case VALUE_NUMBER_FLOAT -> scalar(ScalarKind.FLOAT, parser.getDoubleValue(), at);
      case VALUE_TRUE, VALUE_FALSE -> scalar(ScalarKind.BOOLEAN, null, at);
      case VALUE_NULL -> scalar(ScalarKind.NULL, null, at);
      case VALUE_EMBEDDED_OBJECT -> scalar(ScalarKind.BINARY, null, at);
      default -> throw new IllegalStateException("Unexpected YAML token " + token + " at " + at);
    };
  }

  private Scalar scalar(ScalarKind kind, Number number, Location at) throws IOException {
    return new Scalar(kind, parser.getText(), number, at);
  }

  private Mapping readMapping(String path, int depth, Location at)
      throws IOException, SpecException {
    checkDepth(path, depth, at);
    Map<String, Entry> entries = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      Location keyLocation = currentLocation();
      String valuePath = FieldPath.child(path, key);
      parser.nextToken();
      YamlNode value = readValue(valuePath, depth);
      Entry first = entries.putIfAbsent(key, new Entry(key, keyLocation, value));
      if (first != null) {
        errors.add(
            valuePath,
            keyLocation,
            "duplicate key '" + key + "' (first on line " + first.keyLocation().line() + ")");
      }
    }
    return new Mapping(entries, at);
  }

  private Sequence readSequence(String path, int depth, Location at)
      throws IOException, SpecException {
    checkDepth(path, depth, at);
    List<YamlNode> items = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      items.add(readValue(FieldPath.element(path, items.size()), depth));
    }
    return new Sequence(items, at);
  }

  private void checkDepth(String path, int depth, Location at) throws SpecException {
    if (depth > MAX_DEPTH) {
      throw errors.fatal(path, at, "nested deeper than the limit of " + MAX_DEPTH + " levels");
    }
  }

  private Location currentLocation() {
    return locationOf(parser.currentTokenLocation());
  }

  private static Location locationOf(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? Location.UNKNOWN
        : new Location(location.getLineNr(), location.getColumnNr());
  }

  private static Location locationOf(JsonProcessingException e) {
    MarkedYAMLException marked = markedCause(e);
    if (marked != null && marked.getProblemMark() != null) {
      return locationOf(marked.getProblemMark());
    }
    return locationOf(e.getLocation());
  }

  private static Location locationOf(Mark mark) {
    return new Location(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String describe(JsonProcessingException e) {
    MarkedYAMLException marked = markedCause(e);
    if (marked == null) {
      return "cannot read the YAML: " + e.getOriginalMessage();
    }
    String message = "YAML syntax error: " + marked.getProblem();
    if (marked.getContext() == null || marked.getContextMark() == null) {
      return message;
    }
    int contextLine = marked.getContextMark().getLine() + 1;
    return message + " (" + marked.getContext() + " that starts on line " + contextLine + ")";
  }

  /** SnakeYAML's own exception, which Jackson wraps, knows the problem and its context apart. */
  private static MarkedYAMLException markedCause(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException marked) {
        return marked;
      }
    }
    return null;
  }
}
