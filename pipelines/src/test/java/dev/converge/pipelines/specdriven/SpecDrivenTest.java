package dev.converge.pipelines.specdriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.agent.CommandAgent;
import dev.converge.transforms.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hashes that pin a job's inputs, context documents for agents, plan checks and cost estimates. */
class SpecDrivenTest {
  @TempDir Path dir;
  private Path specDir;

  private static final String SPEC =
      """
      name: sd
      kind: change
      context: [requirements.md, technical-spec.md]
      targets: [{path: repo, id: repo}]
      plan:
        tasks:
          - {id: one, instructions: do one, files: [a.py]}
          - {id: two, instructions: do two, files: [b.py]}
      agents:
        - {id: a, type: command, command: [sh, "{specDir}/agent.sh"]}
        - {id: b, type: command, command: [sh, "{specDir}/agent.sh", --other]}
      implement: {samples: 2}
      test: {command: "true"}
      constraints: {forbiddenPatterns: [TODO]}
      """;

  @BeforeEach
  void layOut() throws Exception {
    specDir = dir.resolve("v1");
    Files.createDirectories(specDir);
    Files.writeString(specDir.resolve("spec.yaml"), SPEC);
    Files.writeString(specDir.resolve("requirements.md"), "# R\n- R1\n");
    Files.writeString(specDir.resolve("technical-spec.md"), "# T\n");
    Files.writeString(specDir.resolve("agent.sh"), "exit 0\n");
    Path repo = specDir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("a.py"), "a = 1\n");
    Files.writeString(repo.resolve("b.py"), "b = 1\n");
    PersonIdent author = new PersonIdent("T", "t@example.com", new java.util.Date(0), java.util.TimeZone.getTimeZone("UTC"));
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("init").setAuthor(author).setCommitter(author).setSign(false).call();
    }
  }

  private ChangeJob compile(Path folder) throws Exception {
    Path spec = folder.resolve("spec.yaml");
    return ChangeJob.compile(SpecParser.parse(spec), spec);
  }

  private static Map<String, Task> byId(ChangeJob job) {
    return job.tasks().stream().collect(Collectors.toMap(Task::id, Function.identity()));
  }

  @Test
  void everyTaskRecordsTheSpecAndContextHashesAndCommandAgentsGetTheDocuments() throws Exception {
    ChangeJob job = compile(specDir);
    Task one = byId(job).get("one");
    assertEquals(64, one.specHash().length());
    assertEquals(64, one.contextHash().length());
    assertEquals(64, one.inputHash().length());
    assertNotEquals(one.inputHash(), byId(job).get("two").inputHash());
    CommandAgent agent = (CommandAgent) job.agents().get(0);
    assertEquals(List.of("requirements.md", "technical-spec.md"), agent.context().stream().map(d -> d.name()).toList());
    assertEquals("# R\n- R1\n", agent.context().get(0).text());
    assertEquals(List.of("TODO"), job.specDriven().constraints().forbiddenPatterns());
  }

  @Test
  void editingOneTaskChangesOnlyItsInputHash() throws Exception {
    ChangeJob before = compile(specDir);
    Files.writeString(specDir.resolve("spec.yaml"), SPEC.replace("do two", "do two better"));
    ChangeJob after = compile(specDir);
    assertEquals(byId(before).get("one").inputHash(), byId(after).get("one").inputHash());
    assertNotEquals(byId(before).get("two").inputHash(), byId(after).get("two").inputHash());
    assertNotEquals(before.specDriven().planHash(), after.specDriven().planHash());
    assertNotEquals(byId(before).get("one").specHash(), byId(after).get("one").specHash());
  }

  @Test
  void editingAContextDocumentChangesEveryTasksInputs() throws Exception {
    ChangeJob before = compile(specDir);
    Files.writeString(specDir.resolve("technical-spec.md"), "# T\nuse the standard library only\n");
    ChangeJob after = compile(specDir);
    for (String id : List.of("one", "two")) {
      assertNotEquals(byId(before).get(id).inputHash(), byId(after).get(id).inputHash(), id);
      assertNotEquals(byId(before).get(id).contextHash(), byId(after).get(id).contextHash(), id);
      assertEquals(byId(before).get(id).specHash(), byId(after).get(id).specHash(), id);
    }
  }

  @Test
  void editingAnAgentScriptChangesEveryTasksInputs() throws Exception {
    ChangeJob before = compile(specDir);
    Files.writeString(specDir.resolve("agent.sh"), "echo changed; exit 0\n");
    ChangeJob after = compile(specDir);
    assertNotEquals(byId(before).get("one").inputHash(), byId(after).get("one").inputHash());
    assertEquals(before.specDriven().planHash(), after.specDriven().planHash(), "the plan pins spec, context and commits");
  }

  @Test
  void hashesDoNotDependOnWhereTheSpecFolderIs() throws Exception {
    ChangeJob here = compile(specDir);
    Path moved = dir.resolve("elsewhere").resolve("v1");
    copy(specDir, moved);
    ChangeJob there = compile(moved);
    assertEquals(here.specDriven().planHash(), there.specDriven().planHash());
    assertEquals(byId(here).get("one").inputHash(), byId(there).get("one").inputHash());
  }

  @Test
  void aMissingContextDocumentIsAPlanError() throws Exception {
    Files.delete(specDir.resolve("technical-spec.md"));
    PlanException e = assertThrows(PlanException.class, () -> compile(specDir));
    assertTrue(e.getMessage().startsWith("context[1]: document not found: "), e.getMessage());
  }

  @Test
  void aPlanThatNoLongerMatchesSaysWhatChanged() throws Exception {
    ChangeJob job = compile(specDir);
    PlanFile approved = PlanFile.of("sd", specDir.resolve("spec.yaml"), job.tasks(), job.agents(), job.samples(), job.specDriven(), java.util.Map.of());
    assertEquals(2 * 2 * 2, approved.estimate().agentCalls());
    assertEquals(null, approved.estimate().costUsd());
    Path planFile = dir.resolve("plan.json");
    approved.write(planFile);
    PlanFile read = PlanFile.read(planFile);
    read.verify(approved, planFile);

    Files.writeString(specDir.resolve("requirements.md"), "# R\n- R1\n- R2\n");
    ChangeJob edited = compile(specDir);
    PlanFile now = PlanFile.of("sd", specDir.resolve("spec.yaml"), edited.tasks(), edited.agents(), edited.samples(), edited.specDriven(), java.util.Map.of());
    PlanException e = assertThrows(PlanException.class, () -> read.verify(now, planFile));
    assertTrue(e.getMessage().contains("context document requirements.md changed"), e.getMessage());
    assertTrue(e.getMessage().contains("converge plan"), e.getMessage());
  }

  @Test
  void theCostOfModelAgentsIsEstimatedFromThePriceTable() throws Exception {
    Files.writeString(
        specDir.resolve("spec.yaml"),
        SPEC.replace(
                "  - {id: b, type: command, command: [sh, \"{specDir}/agent.sh\", --other]}",
                "  - {id: b, type: openai, model: gpt-test, apiKeyEnv: TEST_KEY, maxTokens: 1000}")
            + "prices: {gpt-test: {input: 2.0, output: 10.0}}\n");
    ChangeJob job = compile(specDir);
    PlanFile plan =
        PlanFile.of("sd", specDir.resolve("spec.yaml"), job.tasks(), job.agents(), job.samples(), job.specDriven(), job.spec().prices());
    Double cost = plan.estimate().costUsd();
    // 2 tasks x 2 samples x (prompt tokens x $2 + 1000 answer tokens x $10) per million tokens.
    assertTrue(cost != null && cost > 4 * 1000 * 10 / 1e6 && cost < 4 * 3000 * 10 / 1e6, String.valueOf(cost));
    assertTrue(plan.estimate().costNote().contains("1 command agents are not priced"), plan.estimate().costNote());

    PlanFile unpriced =
        PlanFile.of("sd", specDir.resolve("spec.yaml"), job.tasks(), job.agents(), job.samples(), job.specDriven(),
            Map.of("other-model", new dev.converge.pipelines.spec.PriceSpec(1.0, 1.0)));
    assertEquals(null, unpriced.estimate().costUsd());
    assertTrue(unpriced.estimate().costNote().contains("gpt-test"), unpriced.estimate().costNote());
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
