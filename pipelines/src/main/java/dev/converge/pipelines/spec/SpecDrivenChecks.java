package dev.converge.pipelines.spec;

import dev.converge.pipelines.spec.YamlNode.Mapping;
import dev.converge.pipelines.spec.YamlNode.Sequence;
import java.nio.file.FileSystems;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of the spec-driven fields that the types cannot say: context documents are named once
 * and not blank; globs and regular expressions of {@code constraints} compile. Like {@link
 * SpecChecks}, they read the YAML tree and skip nodes of the wrong shape.
 */
final class SpecDrivenChecks {
  private static final List<String> GLOB_LISTS = List.of("allowedPaths", "forbiddenPaths");
  private static final List<String> REGEX_LISTS = List.of("forbiddenPatterns", "requiredPatterns");

  private final SpecErrors errors;

  private SpecDrivenChecks(SpecErrors errors) {
    this.errors = errors;
  }

  static void check(Mapping root, SpecErrors errors) {
    SpecDrivenChecks checks = new SpecDrivenChecks(errors);
    checks.checkContext(root.get("context"));
    if (root.get("constraints") instanceof Mapping constraints) {
      checks.checkConstraints(constraints);
    }
  }

  private void checkContext(YamlNode node) {
    if (!(node instanceof Sequence documents)) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < documents.items().size(); i++) {
      YamlNode item = documents.items().get(i);
      String path = FieldPath.element("context", i);
      int index = i;
      item.asText()
          .ifPresent(
              text -> {
                if (text.isBlank()) {
                  errors.add(path, item.location(), "must not be empty");
                  return;
                }
                Integer first = seen.putIfAbsent(text.strip(), index);
                if (first != null) {
                  errors.add(
                      path,
                      item.location(),
                      "document '" + text + "' is already listed (context[" + first + "])");
                }
              });
    }
  }

  private void checkConstraints(Mapping constraints) {
    for (String field : GLOB_LISTS) {
      forEachText(constraints.get(field), "constraints." + field, this::checkGlob);
    }
    YamlNode tests = constraints.get("requireTestChanges");
    if (tests != null) {
      tests.asText().ifPresent(glob -> checkGlob("constraints.requireTestChanges", tests, glob));
    }
    for (String field : REGEX_LISTS) {
      forEachText(constraints.get(field), "constraints." + field, this::checkRegex);
    }
    forEachText(
        constraints.get("allowedFileTypes"),
        "constraints.allowedFileTypes",
        (path, node, text) -> {
          if (text.isBlank() || text.strip().equals(".")) {
            errors.add(path, node.location(), "must name a file extension like 'py' or a file name");
          }
        });
  }

  private void checkGlob(String path, YamlNode node, String glob) {
    if (glob.isBlank()) {
      errors.add(path, node.location(), "must not be empty");
      return;
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      errors.add(path, node.location(), "not a valid glob: " + e.getMessage());
    }
  }

  private void checkRegex(String path, YamlNode node, String regex) {
    if (regex.isEmpty()) {
      errors.add(path, node.location(), "must not be empty");
      return;
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      errors.add(
          path,
          node.location(),
          "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  private interface TextCheck {
    void check(String path, YamlNode node, String text);
  }

  private static void forEachText(YamlNode node, String path, TextCheck check) {
    if (node instanceof Sequence sequence) {
      for (int i = 0; i < sequence.items().size(); i++) {
        YamlNode item = sequence.items().get(i);
        String itemPath = FieldPath.element(path, i);
        item.asText().ifPresent(text -> check.check(itemPath, item, text));
      }
    }
  }
}
