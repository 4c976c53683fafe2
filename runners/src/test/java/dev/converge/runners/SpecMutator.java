package dev.converge.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Seeded spec fuzzing: each case is a valid spec with a few mutations of its tree (wrong types,
 * removed or unknown or misspelled keys, duplicated entries, deep nesting, huge strings) or of its
 * text (truncation, stray YAML syntax, tags, anchors and alias bombs, merge keys, several
 * documents, control characters), or random YAML. The same seed gives the same cases.
 */
final class SpecMutator {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] SYNTAX = {
    ":", "{", "}", "[", "]", "- ", "\t", "&a ", "*a", "!!", "%YAML 1.2\n", "---\n", "...\n", "? ", "|",
    ">", "#", "\"", "'", "\u0000", "\uFEFF", "\r", "\u202E", "<<: *a\n", "!!binary ", "\\u"
  };
  private static final String[] TAGS = {
    "!!binary aGVsbG8=", "!!float .nan", "!!int 0x7fffffffffffffff", "!!timestamp 2001-12-14", "!!set {a, b}",
    "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]",
    "!!omap [a: 1]", "!custom x", "!!null ''", "!!bool yes"
  };

  private final Random random;
  private final List<String> seeds;

  SpecMutator(long seed, List<String> validSpecs) {
    this.random = new Random(seed);
    this.seeds = validSpecs;
  }

  /** One case: a short label of what was done, and the YAML text. */
  record Case(String kind, String yaml) {}

  Case next() {
    String seed = seeds.get(random.nextInt(seeds.size()));
    int choice = random.nextInt(10);
    return switch (choice) {
      case 0, 1, 2, 3 -> new Case("tree mutation", mutateTree(seed, 1 + random.nextInt(4)));
      case 4, 5 -> new Case("text mutation", mutateText(seed));
      case 6 -> new Case("alias bomb", aliasBomb(seed));
      case 7 -> new Case("deep nesting", deepNesting(seed));
      case 8 -> new Case("huge value", hugeValue(seed));
      default -> new Case("random yaml", write(randomNode(4)));
    };
  }

  private String mutateTree(String seed, int mutations) {
    JsonNode root = read(seed);
    for (int i = 0; i < mutations; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(root, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode object && object.size() > 0) {
        mutateObject(object);
      } else if (target instanceof ArrayNode array && array.size() > 0) {
        mutateArray(array);
      }
    }
    return write(root);
  }

  private void mutateObject(ObjectNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    String key = keys.get(random.nextInt(keys.size()));
    switch (random.nextInt(5)) {
      case 0 -> object.set(key, randomScalarOrContainer());
      case 1 -> object.remove(key);
      case 2 -> object.set(key + (random.nextBoolean() ? "s" : "_"), object.get(key));
      case 3 -> object.set(randomWord(), randomScalarOrContainer());
      default -> {
        JsonNode value = object.remove(key);
        object.set(key.length() > 1 ? key.substring(1) : key.toUpperCase(), value);
      }
    }
  }

  private void mutateArray(ArrayNode array) {
    int index = random.nextInt(array.size());
    switch (random.nextInt(4)) {
      case 0 -> array.add(array.get(index).deepCopy());
      case 1 -> array.remove(index);
      case 2 -> array.set(index, randomScalarOrContainer());
      default -> {
        for (int i = 0; i < 50; i++) {
          array.add(array.get(index).deepCopy());
        }
      }
    }
  }

  private String mutateText(String seed) {
    StringBuilder text = new StringBuilder(seed);
    int edits = 1 + random.nextInt(5);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(text.length() + 1);
      switch (random.nextInt(5)) {
        case 0 -> text.setLength(at);
        case 1 -> text.insert(at, SYNTAX[random.nextInt(SYNTAX.length)]);
        case 2 -> text.insert(at, TAGS[random.nextInt(TAGS.length)] + " ");
        case 3 -> text.append("---\n").append(seed);
        default -> {
          if (text.length() > 0) {
            text.setCharAt(Math.min(at, text.length() - 1), (char) random.nextInt(0x80));
          }
        }
      }
      if (text.length() == 0) {
        break;
      }
    }
    return text.toString();
  }

  private String aliasBomb(String seed) {
    StringBuilder bomb = new StringBuilder("x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    int levels = 5 + random.nextInt(20);
    for (int level = 1; level <= levels; level++) {
      bomb.append("x%d: &x%d [%s]\n".formatted(level, level, String.join(", ", Collections.nCopies(9, "*x" + (level - 1)))));
    }
    return random.nextBoolean() ? bomb + seed : seed + bomb + "goal: *x" + levels + "\n";
  }

  private String deepNesting(String seed) {
    int depth = 10 + random.nextInt(random.nextBoolean() ? 100 : 100_000);
    String open = random.nextBoolean() ? "[" : "{a: ";
    String close = open.equals("[") ? "]" : "}";
    return seed + "goal: " + open.repeat(depth) + "1" + close.repeat(depth) + "\n";
  }

  private String hugeValue(String seed) {
    int length = random.nextBoolean() ? 100_000 + random.nextInt(400_000) : 1_100_000;
    return seed.replaceFirst("(?m)^name: .*$", "name: " + "x".repeat(length));
  }

  private JsonNode randomScalarOrContainer() {
    return random.nextInt(4) == 0 ? randomNode(2) : randomScalar();
  }

  private JsonNode randomNode(int depth) {
    if (depth == 0 || random.nextInt(3) == 0) {
      return randomScalar();
    }
    if (random.nextBoolean()) {
      ArrayNode array = NODES.arrayNode();
      for (int i = random.nextInt(5); i > 0; i--) {
        array.add(randomNode(depth - 1));
      }
      return array;
    }
    ObjectNode object = NODES.objectNode();
    for (int i = random.nextInt(5); i > 0; i--) {
      object.set(random.nextBoolean() ? randomKnownKey() : randomWord(), randomNode(depth - 1));
    }
    return object;
  }

  private static final String[] KNOWN_KEYS = {
    "name", "kind", "targets", "plan", "tasks", "agents", "implement", "test", "vote", "merge", "budget",
    "id", "type", "command", "path", "glob", "samples", "strategy", "quorum", "rules", "reviewers", "model"
  };

  private String randomKnownKey() {
    return KNOWN_KEYS[random.nextInt(KNOWN_KEYS.length)];
  }

  private JsonNode randomScalar() {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt() - random.nextInt());
      case 3 -> NODES.numberNode(random.nextDouble() * 1e12 - 5e11);
      case 4 -> NODES.numberNode(Long.MAX_VALUE);
      case 5 -> NODES.textNode("");
      case 6 -> NODES.textNode("x".repeat(random.nextInt(20_000)));
      case 7 -> NODES.textNode("\u0000\u0007\u001b[2J\u202e" + randomWord());
      default -> NODES.textNode(randomWord());
    };
  }

  private String randomWord() {
    int length = 1 + random.nextInt(12);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      Iterator<JsonNode> children = node.elements();
      children.forEachRemaining(child -> collectContainers(child, out));
    }
  }

  private static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
