package dev.converge.pipelines.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.spec.TaskSpec;
import dev.converge.transforms.agent.AgentCallException;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.agent.ModelAgent;
import dev.converge.transforms.agent.ModelCall;
import dev.converge.transforms.agent.ModelReply;
import dev.converge.transforms.agent.Prompt;
import dev.converge.transforms.agent.ResultCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planner agent asked for the tasks of a real repository: command and model agents, failures, cache. */
class AgentPlannerTest {
  private static final String GOAL = "Document every module";

  /**
   * A planner that checks its role, its checkout and its prompt, counts its calls in calls.txt
   * beside itself, and plans one task per module of the file list, after some noise on stderr.
   */
  private static final String PLANNER =
      """
      import json, os, sys
      here = os.path.dirname(os.path.abspath(__file__))
      with open(os.path.join(here, "calls.txt"), "a") as calls:
          calls.write("call\\n")
      prompt = sys.stdin.read()
      if os.environ["CONVERGE_ROLE"] != "plan" or "Files (4):" not in prompt:
          sys.exit(4)
      print("planning {" + os.environ["CONVERGE_TARGET_ID"] + "}", file=sys.stderr, flush=True)
      files = open(os.environ["CONVERGE_FILE_LIST"]).read().split()
      tasks = [{"id": "doc-" + os.path.basename(f)[:-3],
                "instructions": os.environ["CONVERGE_GOAL"] + ": " + f,
                "files": [f]}
               for f in files if f.startswith("textkit/") and os.path.isfile(f)]
      print(json.dumps({"tasks": tasks}))
      """;

  @TempDir Path dir;
  private Target target;
  private Path script;

  @BeforeEach
  void makeRepository() throws Exception {
    Path repo = dir.resolve("textkit");
    String commit =
        TargetsTest.repo(
            repo,
            Map.of(
                "README.md", "# textkit\n",
                "textkit/slug.py", "def slugify(s): return s\n",
                "textkit/count.py", "def count(s): return 0\n",
                "tests/test_slug.py", "import unittest\n"));
    target =
        new Target(
            "textkit", repo, commit, List.of("README.md", "tests/test_slug.py", "textkit/count.py", "textkit/slug.py"));
    script = dir.resolve("agents").resolve("planner.py");
    Files.createDirectories(script.getParent());
    Files.writeString(script, PLANNER);
  }

  private AgentPlanner planner(PlanCache cache) {
    return AgentPlanner.of(CommandAgent.of("planner", List.of("python3", script.toString())), cache);
  }

  private int calls() throws Exception {
    Path calls = script.resolveSibling("calls.txt");
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  @Test
  void aCommandPlannerPlansInACheckoutOfTheBaseCommitFromTheGoalAndTheFileList() throws Exception {
    assertEquals(
        List.of(
            new TaskSpec("doc-count", GOAL + ": textkit/count.py", "textkit", List.of("textkit/count.py"), null),
            new TaskSpec("doc-slug", GOAL + ": textkit/slug.py", "textkit", List.of("textkit/slug.py"), null)),
        planner(PlanCache.OFF).plan(GOAL, target));
  }

  @Test
  void theSameInputsAreAnsweredFromTheCacheOtherInputsAskAgain() throws Exception {
    PlanCache cache = new PlanCache(dir.resolve("cache").toString(), ResultCache.Mode.READ_WRITE);
    List<TaskSpec> first = planner(cache).plan(GOAL, target);
    assertEquals(first, planner(cache).plan(GOAL, target));
    assertEquals(1, calls(), "the second plan came from the cache");
    assertTrue(Files.isDirectory(dir.resolve("cache").resolve(PlanCache.FOLDER)));

    planner(cache).plan(GOAL + " and the tests", target);
    assertEquals(2, calls(), "another goal is another question");
    planner(new PlanCache(cache.dir(), ResultCache.Mode.REFRESH)).plan(GOAL, target);
    assertEquals(3, calls(), "refresh asks again");
    planner(PlanCache.OFF).plan(GOAL, target);
    planner(PlanCache.OFF).plan(GOAL, target);
    assertEquals(5, calls(), "without a cache every plan asks");
  }

  @Test
  void aPlannerThatFailsFailsPlanningWithWhatItPrintedAndIsNotCached() throws Exception {
    PlanCache cache = new PlanCache(dir.resolve("cache").toString(), ResultCache.Mode.READ_WRITE);
    AgentPlanner failing =
        AgentPlanner.of(CommandAgent.of("planner", List.of("sh", "-c", "echo model overloaded >&2; exit 3")), cache);
    PlanException e = assertThrows(PlanException.class, () -> failing.plan(GOAL, target));
    assertEquals(
        "plan.agent 'planner' on target textkit: the planner exited with code 3: model overloaded", e.getMessage());
    assertFalse(Files.exists(dir.resolve("cache").resolve(PlanCache.FOLDER)));
  }

  @Test
  void anInvalidAnswerIsNotCachedEither() throws Exception {
    PlanCache cache = new PlanCache(dir.resolve("cache").toString(), ResultCache.Mode.READ_WRITE);
    AgentPlanner wrong =
        AgentPlanner.of(
            CommandAgent.of("planner", List.of("sh", "-c", "echo '{\"tasks\": [{\"id\": \"a\", \"instructions\": \"x\", \"files\": [\"nope.py\"]}]}'")),
            cache);
    PlanException e = assertThrows(PlanException.class, () -> wrong.plan(GOAL, target));
    assertEquals(
        "plan.agent 'planner' on target textkit: tasks[0].files[0]: 'nope.py' is not a file of the target", e.getMessage());
    assertFalse(Files.exists(dir.resolve("cache").resolve(PlanCache.FOLDER)));
  }

  @Test
  void aPlannerThatHangsIsStoppedAtItsTimeout() {
    AgentPlanner hanging =
        AgentPlanner.of(
            CommandAgent.of("planner", List.of("sh", "-c", "sleep 60")).withTimeout(Duration.ofSeconds(1)), PlanCache.OFF);
    PlanException e = assertThrows(PlanException.class, () -> hanging.plan(GOAL, target));
    assertEquals("plan.agent 'planner' on target textkit: the planner timed out after 1 s", e.getMessage());
  }

  @Test
  void aModelPlannerIsPromptedWithTheGoalAndTheFilesAndAnswersInAJsonBlock() throws Exception {
    FakeModel model =
        new FakeModel(
            "Here is the plan.\n```json\n{\"tasks\": [{\"id\": \"fix-slug\", \"instructions\": \"Fix slugify\","
                + " \"files\": [\"textkit/slug.py\"], \"test\": \"python3 -m unittest -q\"}]}\n```\n",
            "stop");
    assertEquals(
        List.of(new TaskSpec("fix-slug", "Fix slugify", "textkit", List.of("textkit/slug.py"), "python3 -m unittest -q")),
        AgentPlanner.of(model, PlanCache.OFF).plan(GOAL, target));
    Prompt prompt = model.prompts.get(0);
    assertTrue(prompt.system().contains("at most " + PlanAnswer.MAX_TASKS + " tasks"), prompt.system());
    assertTrue(prompt.user().startsWith("Goal:\n" + GOAL + "\n\nRepository textkit at commit " + target.commit()), prompt.user());
    assertTrue(prompt.user().endsWith("Files (4):\n" + String.join("\n", target.files()) + "\n"), prompt.user());
  }

  @Test
  void aModelPlannerWhoseCallFailsOrIsCutOffFailsPlanning() {
    FakeModel refusing = new FakeModel(null, "stop");
    assertEquals(
        "plan.agent 'fake' on target textkit: the planner's call failed: HTTP 401: invalid key",
        assertThrows(PlanException.class, () -> AgentPlanner.of(refusing, PlanCache.OFF).plan(GOAL, target)).getMessage());
    FakeModel cutOff = new FakeModel("```json\n{\"tasks\": [", "length");
    assertEquals(
        "plan.agent 'fake' on target textkit: the answer was cut off at the output token limit (raise the agent's maxTokens)",
        assertThrows(PlanException.class, () -> AgentPlanner.of(cutOff, PlanCache.OFF).plan(GOAL, target)).getMessage());
  }

  /** A model agent with one fixed answer (null: an HTTP 401) that keeps the prompts it got. */
  private static final class FakeModel implements ModelAgent {
    private final String answer;
    private final String stopReason;
    final List<Prompt> prompts = new ArrayList<>();

    FakeModel(String answer, String stopReason) {
      this.answer = answer;
      this.stopReason = stopReason;
    }

    @Override
    public String id() {
      return "fake";
    }

    @Override
    public String kind() {
      return "fake";
    }

    @Override
    public ModelReply call(ModelCall call) throws AgentCallException {
      prompts.add(call.prompt());
      if (answer == null) {
        throw AgentCallException.permanent("HTTP 401: invalid key");
      }
      return new ModelReply(answer, "fake-1", 10, 10, stopReason);
    }
  }
}
