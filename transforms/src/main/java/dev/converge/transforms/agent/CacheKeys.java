package dev.converge.transforms.agent;

import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Content addresses of agent calls. A key is the SHA-256 of everything that decides the answer:
 * the agent (id, kind, model, parameters or command line: {@link Agent#fingerprint()}), what it is
 * given (for model agents the whole prompt, which holds the goal, the instructions, the base commit
 * and the file contents; for command agents the task's fields and base commit) and the sample
 * index. API keys are never part of it.
 */
public final class CacheKeys {
  /** Bump to make every cached answer a miss (for example when the format of entries changes). */
  static final String VERSION = "converge-cache-1";

  private CacheKeys() {}

  /** The key of a model agent's answer to {@code prompt}. */
  public static String forModel(ModelAgent agent, Prompt prompt, int sample) {
    Map<String, Object> parts = agentParts(agent, sample);
    parts.put("contract", PromptBuilder.CONTRACT_VERSION);
    parts.put("system", sha256(prompt.system()));
    parts.put("user", sha256(prompt.user()));
    return sha256(Json.line(parts));
  }

  /** The key of a command agent's run on {@code task}. */
  public static String forCommand(Agent agent, Task task, int sample) {
    Map<String, Object> parts = agentParts(agent, sample);
    parts.put("inputs", inputs(task));
    return sha256(Json.line(parts));
  }

  /**
   * The key of a verifier's judgement of {@code patch} for {@code task} as sample {@code sample}
   * (see {@code Verifier}: one per round, one for the final check).
   */
  public static String forVerification(Agent agent, Task task, String patch, int sample) {
    Map<String, Object> parts = agentParts(agent, sample);
    parts.put("contract", PromptBuilder.CONTRACT_VERSION);
    parts.put("role", "verify");
    parts.put("inputs", inputs(task));
    parts.put("patch", sha256(patch));
    return sha256(Json.line(parts));
  }

  /** A hash of what a task gives an agent: id, instructions, files, goal, repository commit. */
  public static String inputs(Task task) {
    Map<String, Object> parts = new TreeMap<>();
    parts.put("task", task.id());
    parts.put("instructions", task.instructions());
    parts.put("files", task.files());
    parts.put("goal", task.goal());
    parts.put("commit", task.baseCommit());
    return sha256(Json.line(parts));
  }

  private static Map<String, Object> agentParts(Agent agent, int sample) {
    Map<String, Object> parts = new TreeMap<>();
    parts.put("version", VERSION);
    parts.put("agent", agent.id());
    parts.put("kind", agent.kind());
    parts.put("model", agent.model());
    parts.put("fingerprint", new TreeMap<>(agent.fingerprint()));
    parts.put("sample", sample);
    return parts;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
