package dev.converge.pipelines.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.pipelines.spec.TaskSpec;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer of a planner agent ({@code plan.agent}): the JSON object {@code {"tasks":[{"id",
 * "instructions", "files", "test"}]}}, found in the answer text and validated against the target.
 *
 * <p>The object is the content of the first {@code ```json} block, else the first JSON object in
 * the text (agents print other things too). It must hold only {@code tasks}: a non-empty list of at
 * most {@link #MAX_TASKS} objects with only these keys: {@code id} (unique, matching {@link
 * TaskSpec#ID}), {@code instructions} (not empty), {@code files} (optional, each a file of the
 * target at its base commit) and {@code test} (optional, not empty). Every problem is reported at
 * once, with its place in the JSON, so a human or the agent's author can fix the planner.
 */
public final class PlanAnswer {
  /** The most tasks one planner answer may make for one target. */
  public static final int MAX_TASKS = 500;

  /** The longest answer text read; a longer one is refused rather than cut. */
  public static final int MAX_CHARS = 1_000_000;

  /** Problems listed in one message; the rest are counted. */
  private static final int MAX_LISTED_PROBLEMS = 10;

  private static final List<String> TASK_KEYS = List.of("id", "instructions", "files", "test");
  // A fence of three or more backticks, closed by the same fence, so instructions may quote code.
  private static final Pattern JSON_BLOCK = Pattern.compile("(`{3,})json[ \\t]*\\r?\\n(.*?)\\1", Pattern.DOTALL);

  private PlanAnswer() {}

  /**
   * The tasks of {@code answer}.
   *
   * @param where names the planner and the target in messages, e.g. {@code plan.agent 'p' on target t}
   * @throws PlanException naming {@code where} and every problem
   */
  public static List<TaskSpec> parse(String where, Target target, String answer) throws PlanException {
    if (answer.length() > MAX_CHARS) {
      throw new PlanException(
          where + ": the answer has more than " + MAX_CHARS + " characters; plan fewer, smaller tasks");
    }
    JsonNode root = jsonObject(where, answer);
    List<String> problems = new ArrayList<>();
    List<TaskSpec> tasks = tasks(root, Set.copyOf(target.files()), target.id(), problems);
    if (!problems.isEmpty()) {
      List<String> listed = problems.subList(0, Math.min(MAX_LISTED_PROBLEMS, problems.size()));
      String more =
          problems.size() > listed.size() ? "; and " + (problems.size() - listed.size()) + " more problems" : "";
      throw new PlanException(where + ": " + String.join("; ", listed) + more);
    }
    return tasks;
  }

  /** The tasks as a planner answer, for the plan cache: parsing it again gives the same tasks. */
  public static String json(List<TaskSpec> tasks) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (TaskSpec task : tasks) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", task.id());
      entry.put("instructions", task.instructions());
      entry.put("files", task.files());
      if (task.test() != null) {
        entry.put("test", task.test());
      }
      entries.add(entry);
    }
    return Json.pretty(Map.of("tasks", entries));
  }

  /** The JSON object of the answer: a ```json block, else the first '{' that starts an object. */
  private static JsonNode jsonObject(String where, String answer) throws PlanException {
    Matcher block = JSON_BLOCK.matcher(answer);
    if (block.find()) {
      char[] content = block.group(2).strip().toCharArray();
      return readObject(content, 0)
          .orElseThrow(() -> new PlanException(where + ": the ```json block of the answer is not a JSON object"));
    }
    char[] chars = answer.toCharArray();
    for (int start = answer.indexOf('{'); start >= 0; start = answer.indexOf('{', start + 1)) {
      Optional<JsonNode> object = readObject(chars, start);
      if (object.isPresent()) {
        return object.get();
      }
    }
    throw new PlanException(
        where + ": the answer holds no JSON object (expected {\"tasks\": [...]}); it begins: "
            + excerpt(answer));
  }

  /** The JSON object at {@code start} of {@code text} (what follows it is ignored), if there is one. */
  private static Optional<JsonNode> readObject(char[] text, int start) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(text, start, text.length - start)) {
      JsonNode node = Json.MAPPER.readTree(parser);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static List<TaskSpec> tasks(JsonNode root, Set<String> files, String targetId, List<String> problems) {
    unknownKeys(root, "", List.of("tasks"), problems);
    JsonNode list = root.get("tasks");
    if (list == null || !list.isArray()) {
      problems.add("tasks: " + (list == null ? "missing" : "must be a list") + " (expected {\"tasks\": [...]})");
      return List.of();
    }
    if (list.isEmpty()) {
      problems.add("tasks: the plan has no tasks");
    }
    if (list.size() > MAX_TASKS) {
      problems.add("tasks: " + list.size() + " tasks, more than the limit of " + MAX_TASKS);
      return List.of();
    }
    List<TaskSpec> tasks = new ArrayList<>();
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "tasks[" + i + "]";
      JsonNode task = list.get(i);
      if (!task.isObject()) {
        problems.add(path + ": must be an object with " + String.join(", ", TASK_KEYS));
        continue;
      }
      unknownKeys(task, path + ".", TASK_KEYS, problems);
      String id = text(task, path, "id", true, problems);
      if (id != null && !TaskSpec.ID.matcher(id).matches()) {
        problems.add(path + ".id: '" + id + "' is not a valid task id (" + TaskSpec.ID_RULE + ")");
      } else if (id != null && ids.putIfAbsent(id, i) != null) {
        problems.add(path + ".id: duplicate task id '" + id + "' (first used by tasks[" + ids.get(id) + "])");
      }
      String instructions = text(task, path, "instructions", true, problems);
      String test = text(task, path, "test", false, problems);
      List<String> taskFiles = files(task, path, files, problems);
      tasks.add(new TaskSpec(id, instructions, targetId, taskFiles, test));
    }
    return tasks;
  }

  /** A string field: null when absent (or JSON null) and optional, or when it is wrong. */
  private static String text(JsonNode task, String path, String key, boolean required, List<String> problems) {
    JsonNode value = task.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(path + "." + key + ": missing");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(path + "." + key + ": must be a non-empty string");
      return null;
    }
    return value.asText();
  }

  private static List<String> files(JsonNode task, String path, Set<String> known, List<String> problems) {
    JsonNode value = task.get("files");
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      problems.add(path + ".files: must be a list of file paths");
      return List.of();
    }
    List<String> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < value.size(); k++) {
      JsonNode file = value.get(k);
      String at = path + ".files[" + k + "]";
      if (!file.isTextual()) {
        problems.add(at + ": must be a file path");
      } else if (!known.contains(file.asText())) {
        problems.add(at + ": '" + file.asText() + "' is not a file of the target");
      } else if (seen.add(file.asText())) {
        files.add(file.asText());
      }
    }
    return files;
  }

  private static void unknownKeys(JsonNode object, String prefix, List<String> allowed, List<String> problems) {
    for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!allowed.contains(key)) {
        problems.add(
            (prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1) + ": ")
                + "unknown key '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  private static String excerpt(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.isEmpty() ? "(nothing)" : line.length() > 200 ? line.substring(0, 199) + "…" : line;
  }
}
