package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.pipelines.spec.SpecFormat.Field;
import dev.converge.pipelines.spec.SpecFormat.Range;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code specs/converge.schema.json} in step with the records and {@link SpecFormat}: it
 * walks both together and lists every field, type, required list, enumeration, range or id rule
 * that differs, and every field without a description.
 */
class SpecSchemaSyncTest {
  private static final String TEXT_REF = "#/$defs/text";
  private static final String ID_REF = "#/$defs/id";

  // Surefire runs tests in the module folder; the schema lives at the top of the project.
  private static final Path SCHEMA = Path.of("..", "specs", "converge.schema.json");

  private static JsonNode schema;

  private final List<String> problems = new ArrayList<>();
  private final Set<String> visitedDefinitions = new HashSet<>();

  @BeforeAll
  static void readSchema() throws IOException {
    schema = new ObjectMapper().readTree(SCHEMA.toFile());
  }

  @Test
  void schemaDescribesExactlyTheFieldsOfTheRecords() {
    compareRecord(schema, Spec.class, "spec");

    assertEquals(List.of(), problems);
  }

  @Test
  void everySchemaDefinitionIsUsed() {
    compareRecord(schema, Spec.class, "spec");
    Set<String> definitions = new TreeSet<>();
    schema.get("$defs").fieldNames().forEachRemaining(definitions::add);
    visitedDefinitions.add("text");
    visitedDefinitions.add("id");

    assertEquals(definitions, new TreeSet<>(visitedDefinitions));
  }

  @Test
  void sharedDefinitionsMatchTheParser() {
    assertEquals(
        List.of("string", "number", "boolean"),
        strings(definition(TEXT_REF).get("type")),
        "strings also take numbers and booleans");
    assertEquals("^" + SpecFormat.ID.pattern() + "$", definition(ID_REF).get("pattern").asText());
  }

  private void compareRecord(JsonNode node, Class<?> record, String path) {
    JsonNode object = resolve(node);
    expect(path, "type", "object", object.path("type").asText());
    expect(path, "additionalProperties", "false", object.path("additionalProperties").asText());
    expect(
        path,
        "required",
        new TreeSet<>(SpecFormat.requiredFields(record)),
        new TreeSet<>(strings(object.path("required"))));

    JsonNode properties = object.path("properties");
    Set<String> schemaFields = new TreeSet<>();
    properties.fieldNames().forEachRemaining(schemaFields::add);
    Set<String> recordFields = new TreeSet<>();
    for (RecordComponent component : record.getRecordComponents()) {
      recordFields.add(component.getName());
      String fieldPath = path + "." + component.getName();
      if (properties.has(component.getName())) {
        compareField(
            properties.get(component.getName()),
            new Field(record.asSubclass(Record.class), component.getName()),
            component.getGenericType(),
            fieldPath);
      }
    }
    reportMissing(path, "the schema", recordFields, schemaFields);
    reportMissing(path, "the records", schemaFields, recordFields);
  }

  private void compareField(JsonNode property, Field field, Type type, String path) {
    if (property.path("description").asText().isBlank()) {
      problems.add(path + ": no description");
    }
    compareType(property, type, path);
    expect(
        path,
        "enum",
        SpecFormat.allowedValues(field),
        Optional.ofNullable(property.get("enum")).map(SpecSchemaSyncTest::strings));
    expect(path, "range", SpecFormat.range(field), range(property));
    if (type == String.class) {
      expect(path, "minLength", 1, property.path("minLength").asInt());
      expect(
          path, "$ref", SpecFormat.isId(field) ? ID_REF : TEXT_REF, property.path("$ref").asText());
    }
    if (isList(type) && SpecFormat.requiredFields(field.owner()).contains(field.name())) {
      expect(path, "minItems", 1, property.path("minItems").asInt());
    }
  }

  private void compareType(JsonNode node, Type type, String path) {
    if (type == String.class) {
      String ref = node.path("$ref").asText();
      if (!ref.equals(TEXT_REF) && !ref.equals(ID_REF)) {
        problems.add(path + ": expected a $ref to " + TEXT_REF + " or " + ID_REF + ", got " + node);
      }
    } else if (type == Integer.class || type == Long.class) {
      expect(path, "type", "integer", node.path("type").asText());
    } else if (type == Double.class) {
      expect(path, "type", "number", node.path("type").asText());
    } else if (isList(type)) {
      expect(path, "type", "array", node.path("type").asText());
      compareType(node.path("items"), typeArgument(type, 0), path + "[]");
    } else if (isMap(type)) {
      expect(path, "type", "object", node.path("type").asText());
      compareType(node.path("additionalProperties"), typeArgument(type, 1), path + ".*");
    } else if (type instanceof Class<?> record && record.isRecord()) {
      compareRecord(node, record, path);
    } else {
      problems.add(path + ": the test does not know " + type.getTypeName());
    }
  }

  private JsonNode resolve(JsonNode node) {
    if (!node.has("$ref")) {
      return node;
    }
    String ref = node.get("$ref").asText();
    visitedDefinitions.add(ref.substring(ref.lastIndexOf('/') + 1));
    return definition(ref);
  }

  private static JsonNode definition(String ref) {
    return schema.at(ref.substring(1));
  }

  private static Optional<Range> range(JsonNode property) {
    if (!property.has("minimum")) {
      return Optional.empty();
    }
    double max =
        property.has("maximum") ? property.get("maximum").asDouble() : Double.POSITIVE_INFINITY;
    return Optional.of(new Range(property.get("minimum").asDouble(), max));
  }

  private void reportMissing(String path, String where, Set<String> fields, Set<String> present) {
    Set<String> missing = new TreeSet<>(fields);
    missing.removeAll(present);
    if (!missing.isEmpty()) {
      problems.add(path + ": fields missing from " + where + ": " + missing);
    }
  }

  private void expect(String path, String what, Object inRecords, Object inSchema) {
    if (!inRecords.equals(inSchema)) {
      problems.add(
          path
              + ": "
              + what
              + " is "
              + inRecords
              + " in the parser but "
              + inSchema
              + " in the schema");
    }
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
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
}
