package dev.converge.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.spec.SpecException;
import dev.converge.pipelines.spec.SpecParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of specs ({@link SpecMutator}): every case must either parse or fail with a
 * {@link SpecException}, and {@code converge validate} must answer 0 or 2 with no stack trace;
 * never another exception, a hang (10 s per case) or running out of memory.
 *
 * <p>{@code -Dconverge.fuzz.cases=N} (default 300) and {@code -Dconverge.fuzz.seed=S} (default 11)
 * choose the run; {@code scripts/fuzz-specs} runs a long one.
 */
class SpecFuzzTest {
  private static final long HANG_GUARD_SECONDS = 10;

  @TempDir static Path dir;
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "spec-fuzz");
    thread.setDaemon(true);
    return thread;
  });

  private static final String CHANGE_SPEC =
      """
      name: fuzz-change
      kind: change
      goal: Keep the greeting friendly
      targets:
        - path: repo
          ref: HEAD
          id: greet
          test: 'true'
      plan:
        tasks:
          - id: fix-greeting
            instructions: Say hello to everyone
            files: [a.txt]
            target: greet
            test: 'true'
        forEachFile:
          - glob: "*.txt"
            id: "doc-{stem}"
            instructions: "Describe {path}"
      agents:
        - id: careful
          type: command
          command: [sh, -c, 'echo hi >> a.txt']
          timeoutSeconds: 60
          env: {MY_FLAG: "1"}
        - id: sim
          type: simulated
          seed: 3
          latencyMs: 10
          wrongRate: 0.2
        - id: gpt
          type: openai
          model: gpt-4o-mini
          apiKeyEnv: FUZZ_OPENAI_KEY
      implement:
        agents: [careful, sim]
        samples: 2
      test:
        command: 'true'
        timeoutSeconds: 120
      vote:
        strategy: quorum
        quorum: 2
      merge:
        resolver: careful
      budget: {maxTokens: 2000000}
      constraints: {forbiddenPaths: ["**/*.lock"], maxChangedLines: 200}
      output: out
      """;

  private static final String REVIEW_SPEC =
      """
      name: fuzz-review
      kind: review
      targets:
        - path: docs
          id: docs
      rules:
        - id: no-secrets
          title: No secrets
          description: Keys must not be written in files
          severity: high
          files: ["**/*.md"]
      agents:
        - id: pattern
          type: command
          command: [sh, -c, 'echo "[]"']
          timeoutSeconds: 30
      reviewers:
        - agent: pattern
      consensus:
        quorum: 1
      """;

  private static final Map<String, Integer> OUTCOMES = new TreeMap<>();
  private static int cases;

  @BeforeAll
  static void createTargets() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("a.txt"), "hello\n");
    Cli.run(repo, "git", "init", "-q");
    Cli.run(repo, "git", "add", ".");
    Cli.run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/readme.md"), "# Docs\n");
  }

  @AfterAll
  static void stop() {
    WORKER.shutdownNow();
  }

  @Test
  void theSeedSpecsAreValid() throws Exception {
    for (String spec : List.of(CHANGE_SPEC, REVIEW_SPEC)) {
      Validation validation = validate(spec, "seed");
      assertEquals(Converge.EXIT_OK, validation.exit(), validation.err());
    }
  }

  /** Found by the fuzzer (seed 99, case 1832): {@code test:} without a value crashed the planner. */
  @Test
  void aTestSectionWithoutAValueIsABadInput() throws Exception {
    String emptyTestSection = CHANGE_SPEC.replace("test:\n  command: 'true'\n  timeoutSeconds: 120\n", "test:\n");
    assertTrue(!emptyTestSection.equals(CHANGE_SPEC));

    Validation validation = validate(emptyTestSection, "empty-test-section");

    assertEquals(Converge.EXIT_BAD_INPUT, validation.exit(), validation.err());
    assertTrue(validation.err().contains("missing required field 'test'"), validation.err());
  }

  @Test
  void everyFuzzedSpecParsesOrIsABadInput() throws Exception {
    int count = Integer.getInteger("converge.fuzz.cases", 300);
    long seed = Long.getLong("converge.fuzz.seed", 11);
    SpecMutator mutator = new SpecMutator(seed, List.of(CHANGE_SPEC, REVIEW_SPEC));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < count && failures.size() < 5; i++) {
      SpecMutator.Case fuzz = mutator.next();
      String label = "case " + i + " (seed " + seed + ", " + fuzz.kind() + ")";
      String parsed = within(label, () -> parse(fuzz.yaml()));
      String file = "case-" + i;
      Validation cli = within(label, () -> validate(fuzz.yaml(), file));
      boolean clean =
          (cli.exit() == Converge.EXIT_OK || cli.exit() == Converge.EXIT_BAD_INPUT)
              && !cli.err().contains("internal error")
              && !cli.err().contains("\tat ");
      if (!parsed.startsWith("ok") || !clean) {
        failures.add(label + ": parser " + parsed + "; validate exit " + cli.exit() + ": "
            + cli.err().lines().limit(6).toList() + "\ninput starts: "
            + fuzz.yaml().substring(0, Math.min(300, fuzz.yaml().length())));
      }
      OUTCOMES.merge(fuzz.kind() + (cli.exit() == Converge.EXIT_OK ? " valid" : " refused"), 1, Integer::sum);
      cases++;
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("cases", cases);
    figures.put("seed", seed);
    figures.put("outcomes", OUTCOMES);
    figures.put("crashes", 0);
    figures.put("hangs", 0);
    ReliabilityFigures.write("spec-fuzzing", figures);
  }

  /** "ok" when the spec parsed or was refused with a SpecException, else what was thrown. */
  private static String parse(String yaml) {
    try {
      SpecParser.parse(yaml, "fuzz.yaml");
      return "ok: parsed";
    } catch (SpecException e) {
      return "ok: " + e.errors().size() + " errors";
    } catch (RuntimeException | StackOverflowError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return "threw " + trace.toString().lines().limit(8).toList();
    }
  }

  record Validation(int exit, String err) {}

  private static Validation validate(String yaml, String name) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Converge.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute("validate", file.toString());
    Files.delete(file);
    return new Validation(exit, err.toString());
  }

  private static <T> T within(String label, java.util.concurrent.Callable<T> work) throws Exception {
    Future<T> result = WORKER.submit(work);
    try {
      return result.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new AssertionError(label + " took more than " + HANG_GUARD_SECONDS + " s", e);
    }
  }
}
