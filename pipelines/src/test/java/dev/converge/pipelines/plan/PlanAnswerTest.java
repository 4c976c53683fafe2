package dev.converge.pipelines.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.spec.TaskSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a planner's answer is found in its text and validated, and every error it can get. */
class PlanAnswerTest {
  private static final String WHERE = "plan.agent 'planner' on target textkit";
  private static final Target TARGET =
      new Target("textkit", Path.of("/repo"), "c0ffee", List.of("README.md", "textkit/slug.py", "tests/test_slug.py"));

  private static List<TaskSpec> parse(String answer) throws PlanException {
    return PlanAnswer.parse(WHERE, TARGET, answer);
  }

  private static String error(String answer) {
    return assertThrows(PlanException.class, () -> parse(answer)).getMessage();
  }

  /** An answer with {@code tasks} as the JSON list. */
  private static String tasks(String list) {
    return "{\"tasks\": " + list + "}";
  }

  @Test
  void theJsonBlockOfAModelAnswerGivesTheTasks() throws Exception {
    List<TaskSpec> tasks =
        parse(
            """
            Here is the plan {as asked}:

            ```json
            {"tasks": [
              {"id": "fix-slugify", "instructions": "Collapse dashes", "files": ["textkit/slug.py"], "test": "make slug"},
              {"id": "docs", "instructions": "Document slugify"}
            ]}
            ```
            """);
    assertEquals(
        List.of(
            new TaskSpec("fix-slugify", "Collapse dashes", "textkit", List.of("textkit/slug.py"), "make slug"),
            new TaskSpec("docs", "Document slugify", "textkit", List.of(), null)),
        tasks);
  }

  @Test
  void aLongerFenceLetsInstructionsQuoteCode() throws Exception {
    List<TaskSpec> tasks =
        parse("````json\n" + tasks("[{\"id\": \"a\", \"instructions\": \"Add ```python``` examples\"}]") + "\n````\n");
    assertEquals("Add ```python``` examples", tasks.get(0).instructions());
  }

  @Test
  void withoutABlockTheFirstJsonObjectInThePrintedTextCounts() throws Exception {
    List<TaskSpec> tasks =
        parse("planning {textkit} ...\n" + tasks("[{\"id\": \"a\", \"instructions\": \"do a\"}]") + "\ndone {ok}\n");
    assertEquals(List.of("a"), tasks.stream().map(TaskSpec::id).toList());
  }

  @Test
  void theCachedFormParsesToTheSameTasks() throws Exception {
    List<TaskSpec> tasks =
        List.of(
            new TaskSpec("a", "do a", "textkit", List.of("README.md"), "true"),
            new TaskSpec("b", "do b", "textkit", List.of(), null));
    assertEquals(tasks, parse(PlanAnswer.json(tasks)));
  }

  @Test
  void anAnswerWithoutJsonSaysHowItBegins() {
    assertEquals(
        WHERE + ": the answer holds no JSON object (expected {\"tasks\": [...]}); it begins: I cannot plan this { sorry",
        error("I cannot plan this\n{ sorry"));
  }

  @Test
  void aJsonBlockThatIsNotAnObjectIsRefused() {
    assertEquals(
        WHERE + ": the ```json block of the answer is not a JSON object",
        error("```json\n[\"a\", \"b\"]\n```\n" + tasks("[{\"id\": \"a\", \"instructions\": \"x\"}]")));
  }

  @Test
  void anAnswerOverTheSizeLimitIsRefusedNotCut() {
    String answer = tasks("[{\"id\": \"a\", \"instructions\": \"" + "x".repeat(PlanAnswer.MAX_CHARS) + "\"}]");
    assertEquals(
        WHERE + ": the answer has more than " + PlanAnswer.MAX_CHARS + " characters; plan fewer, smaller tasks",
        error(answer));
  }

  @Test
  void morePlannedTasksThanTheLimitAreRefused() {
    String list =
        IntStream.rangeClosed(0, PlanAnswer.MAX_TASKS)
            .mapToObj(i -> "{\"id\": \"t" + i + "\", \"instructions\": \"x\"}")
            .collect(Collectors.joining(",", "[", "]"));
    assertEquals(WHERE + ": tasks: 501 tasks, more than the limit of 500", error(tasks(list)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"plan": []}                                                | unknown key 'plan' (allowed: tasks); tasks: missing (expected {"tasks": [...]})
          {"tasks": {"id": "a"}}                                      | tasks: must be a list (expected {"tasks": [...]})
          {"tasks": []}                                               | tasks: the plan has no tasks
          {"tasks": ["fix it"]}                                       | tasks[0]: must be an object with id, instructions, files, test
          {"tasks": [{"id": "a", "instructions": "x", "title": "A"}]} | tasks[0]: unknown key 'title' (allowed: id, instructions, files, test)
          {"tasks": [{"instructions": "x"}]}                          | tasks[0].id: missing
          {"tasks": [{"id": 7, "instructions": "x"}]}                 | tasks[0].id: must be a non-empty string
          {"tasks": [{"id": "fix it", "instructions": "x"}]}          | tasks[0].id: 'fix it' is not a valid task id (ids start with a letter or digit and contain only letters, digits, '.', '_' and '-')
          {"tasks": [{"id": "a", "instructions": "x"}, {"id": "a", "instructions": "y"}]} | tasks[1].id: duplicate task id 'a' (first used by tasks[0])
          {"tasks": [{"id": "a"}]}                                    | tasks[0].instructions: missing
          {"tasks": [{"id": "a", "instructions": "  "}]}              | tasks[0].instructions: must be a non-empty string
          {"tasks": [{"id": "a", "instructions": "x", "files": "README.md"}]} | tasks[0].files: must be a list of file paths
          {"tasks": [{"id": "a", "instructions": "x", "files": [3]}]} | tasks[0].files[0]: must be a file path
          {"tasks": [{"id": "a", "instructions": "x", "test": ""}]}   | tasks[0].test: must be a non-empty string
          """)
  void eachProblemIsNamedWithItsPlaceInTheAnswer(String answer, String problem) {
    assertEquals(WHERE + ": " + problem, error(answer));
  }

  @Test
  void aFileThatTheTargetDoesNotHaveIsNamed() {
    String answer =
        tasks(
            "[{\"id\": \"a\", \"instructions\": \"x\"}, {\"id\": \"b\", \"instructions\": \"x\"},"
                + " {\"id\": \"c\", \"instructions\": \"x\", \"files\": [\"src/nope.py\", \"README.md\"]}]");
    assertEquals(
        "plan.agent 'planner' on target textkit: tasks[2].files[0]: 'src/nope.py' is not a file of the target",
        error(answer));
  }

  @Test
  void everyProblemIsReportedAtOnceUpToTen() {
    String list =
        IntStream.range(0, 12)
            .mapToObj(i -> "{\"id\": \"t" + i + "\"}")
            .collect(Collectors.joining(",", "[", "]"));
    String message = error(tasks(list));
    assertTrue(message.startsWith(WHERE + ": tasks[0].instructions: missing; tasks[1].instructions: missing; "), message);
    assertTrue(message.endsWith("tasks[9].instructions: missing; and 2 more problems"), message);
  }
}
