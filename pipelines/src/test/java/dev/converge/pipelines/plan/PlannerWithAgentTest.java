package dev.converge.pipelines.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change job whose plan combines static tasks with the tasks of a planner agent. */
class PlannerWithAgentTest {
  @TempDir Path dir;
  private Path spec;

  @BeforeEach
  void layOut() throws Exception {
    TargetsTest.repo(dir.resolve("repo"), Map.of("a.py", "a = 1\n", "b.py", "b = 1\n"));
    spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        """
        name: planned
        kind: change
        goal: Tidy the modules
        targets: [{path: repo, test: make check}]
        plan:
          agent: planner
          tasks: [{id: static-one, instructions: do one}]
        agents:
          - {id: planner, type: command, command: [sh, -c, "cat {specDir}/answer.json"]}
          - {id: worker, type: command, command: ["true"]}
        test: {command: make test}
        """);
  }

  private ChangeJob compile(String answer) throws Exception {
    Files.writeString(dir.resolve("answer.json"), answer);
    return ChangeJob.compile(SpecParser.parse(spec), spec, dir.resolve("clones"));
  }

  @Test
  void staticTasksComeFirstThenThePlannersWhichDoesNotImplement() throws Exception {
    ChangeJob job =
        compile(
            """
            {"tasks": [
              {"id": "tidy-b", "instructions": "tidy b.py", "files": ["b.py"], "test": "python3 b.py"},
              {"id": "tidy-a", "instructions": "tidy a.py", "files": ["a.py"]}
            ]}
            """);
    assertEquals(List.of("static-one", "tidy-b", "tidy-a"), job.tasks().stream().map(Task::id).toList());
    Task tidyB = job.tasks().get(1);
    Task tidyA = job.tasks().get(2);
    assertEquals(List.of("b.py"), tidyB.files());
    assertEquals("python3 b.py", tidyB.testCommand(), "a planned test wins");
    assertEquals("make check", tidyA.testCommand(), "else the target's test, as for static tasks");
    assertEquals("Tidy the modules", tidyA.goal());
    assertEquals(64, tidyA.inputHash().length(), "agent tasks are stamped like static ones");
    assertEquals(List.of("worker"), job.agents().stream().map(Agent::id).toList());
  }

  @Test
  void aPlannedIdThatAStaticTaskHasIsAPlanError() {
    PlanException e =
        assertThrows(
            PlanException.class,
            () -> compile("{\"tasks\": [{\"id\": \"static-one\", \"instructions\": \"again\"}]}"));
    assertEquals(
        "plan.agent 'planner' on target repo: tasks[0].id: 'static-one' is already the id of a task of plan.tasks or plan.forEachFile",
        e.getMessage());
  }
}
