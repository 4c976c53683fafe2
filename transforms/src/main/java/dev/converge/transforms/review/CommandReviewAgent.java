package dev.converge.transforms.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.Texts;
import dev.converge.transforms.workspace.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reviewer or verifier that is a command: any CLI agent ({@code claude -p}, {@code codex exec},
 * ...) or script.
 *
 * <p>The contract. The process runs in a private, empty folder; only {@code PATH}, {@code HOME},
 * {@code LANG}, {@code LC_ALL} and {@code TMPDIR} are inherited, plus the spec's {@code env}. Its
 * standard output is its answer; its standard error is kept as its log.
 *
 * <ul>
 *   <li>As a reviewer ({@code CONVERGE_MODE=review}): the chunk's text is on standard input;
 *       {@code CONVERGE_TARGET}, {@code CONVERGE_FILE} (path in the target), {@code
 *       CONVERGE_FILE_LINES} (lines of the whole file), {@code CONVERGE_CHUNK_START} and {@code
 *       CONVERGE_CHUNK_END} (the chunk's first and last line, 1-based, inclusive), {@code
 *       CONVERGE_RULES} (a JSON array of {@code {id, title, description, severity}}), {@code
 *       CONVERGE_SAMPLE}, {@code CONVERGE_AGENT_ID} and {@code CONVERGE_GOAL}. It prints a JSON
 *       array of findings {@code {"rule", "startLine", "endLine", "message"}} with line numbers of
 *       the whole file, inside the chunk ({@code endLine} may be left out for one line); {@code []}
 *       when it finds nothing.
 *   <li>As a verifier ({@code CONVERGE_MODE=verify}): the text around the finding is on standard
 *       input, its first line being line {@code CONVERGE_CONTEXT_START}; {@code CONVERGE_TARGET},
 *       {@code CONVERGE_FILE}, {@code CONVERGE_START_LINE}, {@code CONVERGE_END_LINE}, {@code
 *       CONVERGE_RULE} (a JSON object), {@code CONVERGE_FINDING} (a JSON object: {@code rule,
 *       severity, startLine, endLine, message, reviewers}), {@code CONVERGE_AGENT_ID} and {@code
 *       CONVERGE_GOAL}. It prints one JSON object {@code {"verdict": "confirmed"|"refuted",
 *       "reason": "..."}}.
 * </ul>
 *
 * A non-zero exit code, a timeout or an answer that breaks the contract fails the call; the
 * failure is recorded, never thrown.
 */
public final class CommandReviewAgent implements ReviewAgent {
  /** Answers longer than this fail the call. */
  public static final int MAX_ANSWER_CHARS = 1_000_000;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  private static final int LOG_CHARS = 4000;

  private final String id;
  private final List<String> argv;
  private final Duration timeout;
  private final Map<String, String> env;

  private CommandReviewAgent(String id, List<String> argv, Duration timeout, Map<String, String> env) {
    this.id = id;
    this.argv = argv;
    this.timeout = timeout;
    this.env = env;
  }

  public static CommandReviewAgent of(String id, List<String> argv) {
    Objects.requireNonNull(id, "id");
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("agent " + id + " needs a non-empty command");
    }
    return new CommandReviewAgent(id, List.copyOf(argv), DEFAULT_TIMEOUT, Map.of());
  }

  public CommandReviewAgent withTimeout(Duration newTimeout) {
    if (newTimeout == null || newTimeout.isNegative() || newTimeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + newTimeout);
    }
    return new CommandReviewAgent(id, argv, newTimeout, env);
  }

  public CommandReviewAgent withEnv(Map<String, String> newEnv) {
    return new CommandReviewAgent(id, argv, timeout, Map.copyOf(Objects.requireNonNull(newEnv, "env")));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "command";
  }

  @Override
  public Reply review(Chunk chunk, int sample, String goal, Path dir) throws IOException {
    Map<String, String> vars = new HashMap<>(env);
    vars.put("CONVERGE_MODE", "review");
    vars.put("CONVERGE_TARGET", chunk.target());
    vars.put("CONVERGE_FILE", chunk.path());
    vars.put("CONVERGE_FILE_LINES", Integer.toString(chunk.totalLines()));
    vars.put("CONVERGE_CHUNK_START", Integer.toString(chunk.startLine()));
    vars.put("CONVERGE_CHUNK_END", Integer.toString(chunk.endLine()));
    vars.put("CONVERGE_RULES", rulesJson(chunk.rules()));
    vars.put("CONVERGE_SAMPLE", Integer.toString(sample));
    vars.put("CONVERGE_AGENT_ID", id);
    vars.put("CONVERGE_GOAL", goal == null ? "" : goal);
    return run(vars, chunk.text(), dir);
  }

  @Override
  public Reply verify(FindingCluster finding, Rule rule, String goal, Path dir) throws IOException {
    Map<String, String> vars = new HashMap<>(env);
    vars.put("CONVERGE_MODE", "verify");
    vars.put("CONVERGE_TARGET", finding.target());
    vars.put("CONVERGE_FILE", finding.path());
    vars.put("CONVERGE_START_LINE", Integer.toString(finding.startLine()));
    vars.put("CONVERGE_END_LINE", Integer.toString(finding.endLine()));
    vars.put("CONVERGE_CONTEXT_START", Integer.toString(finding.contextStartLine()));
    vars.put("CONVERGE_RULE", Json.line(ruleNode(rule)));
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("rule", finding.rule());
    node.put("severity", finding.severity().label());
    node.put("startLine", finding.startLine());
    node.put("endLine", finding.endLine());
    node.put("message", finding.message());
    ArrayNode reviewers = node.putArray("reviewers");
    finding.reviewers().forEach(reviewers::add);
    vars.put("CONVERGE_FINDING", Json.line(node));
    vars.put("CONVERGE_AGENT_ID", id);
    vars.put("CONVERGE_GOAL", goal == null ? "" : goal);
    return run(vars, finding.context(), dir);
  }

  /** Runs the command in {@code dir/work} with its standard error sent to {@code dir/stderr}. */
  private Reply run(Map<String, String> vars, String stdin, Path dir) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path stderr = dir.resolve("stderr.txt");
    // sh sends the command's standard error to a file, so that standard output is the answer alone.
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 2>\"$0\"", stderr.toString()));
    wrapped.addAll(argv);
    ProcessRunner.Result result =
        ProcessRunner.run(wrapped, work, vars, stdin, timeout, MAX_ANSWER_CHARS);
    String log = Files.exists(stderr) ? Texts.tail(Files.readString(stderr, StandardCharsets.UTF_8), LOG_CHARS) : "";
    String answer = result.outputTail();
    if (answer.length() > MAX_ANSWER_CHARS) {
      return new Reply(
          result.exitCode(), result.timedOut(), "", "answer longer than " + MAX_ANSWER_CHARS + " characters\n" + log, result.durationMs());
    }
    return new Reply(result.exitCode(), result.timedOut(), answer, log, result.durationMs());
  }

  /** The rules as a JSON array of {@code {id, title, description, severity}}. */
  static String rulesJson(List<Rule> rules) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    rules.forEach(rule -> array.add(ruleNode(rule)));
    return Json.line(array);
  }

  private static ObjectNode ruleNode(Rule rule) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", rule.id());
    node.put("title", rule.title());
    node.put("description", rule.description());
    node.put("severity", rule.severity().label());
    return node;
  }
}
