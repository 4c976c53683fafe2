package dev.converge.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of mistake, reported with its path, line and column. */
class SpecParserErrorsTest {

  /** A valid spec; tests append to it or replace parts of it. */
  static final String VALID =
      """
      name: demo
      kind: change
      targets:
        - path: repo
      plan:
        tasks:
          - {id: t1, instructions: do it}
      agents:
        - {id: careful, type: command, command: [run]}
        - {id: sim, type: simulated}
      test:
        command: make test
      """;

  static List<String> errors(String yaml) {
    SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(yaml, "test.yaml"));
    return e.errors().stream().map(SpecError::toString).toList();
  }

  @Test
  void theValidBaseSpecParses() throws Exception {
    SpecParser.parse(VALID, "valid.yaml");
  }

  @Test
  void reportsAMisspelledKeyAndAWrongTypeTogether() {
    String yaml =
        """
        name: demo
        kind: change
        targets:
          - path: repo
        plan:
          tasks:
            - {id: t1, instructions: do it}
        agents:
          - id: careful
            type: command
            comand: [run]
            timeoutSeconds: "60"
        test:
          command: make test
        """;

    assertEquals(
        List.of(
            "agents[0]: missing required field 'command' (command agents need one) (line 9, col 5)",
            "agents[0].comand: unknown key 'comand' (did you mean 'command'?) (line 11, col 5)",
            "agents[0].timeoutSeconds: expected an integer (line 12, col 21)"),
        errors(yaml));
  }

  @Test
  void theMessageNamesTheSourceAndListsOneErrorPerLine() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> SpecParser.parse(VALID.replace("kind: change", "kind: [change]"), "demo.yaml"));

    assertEquals(
        "Invalid spec demo.yaml:\nkind: expected a string (line 2, col 7)", e.getMessage());
    assertEquals(List.of(new SpecError("kind", "expected a string", 2, 7)), e.errors());
    assertEquals("demo.yaml", e.sourceName());
  }

  @Test
  void unknownKeyWithoutACloseMatchListsTheAllowedKeys() {
    assertEquals(
        List.of("vote.winner: unknown key 'winner' (allowed keys: strategy, quorum) (line 14, col 3)"),
        errors(VALID + "vote:\n  winner: majority\n"));
  }

  @Test
  void unknownKeyMatchingIgnoringCaseIsSuggested() {
    assertEquals(
        List.of("Output: unknown key 'Output' (did you mean 'output'?) (line 13, col 1)"),
        errors(VALID + "Output: out\n"));
  }

  @Test
  void reportsWrongTypes() {
    String yaml =
        """
        name: {first: demo}
        kind: change
        targets: repo
        plan:
          tasks:
            - {id: t1, instructions: do it, files: textkit/slug.py}
        agents:
          - {id: careful, type: command, command: run, env: [A=1]}
          - {id: sim, type: simulated, seed: 1.5, wrongRate: high, latencyMs: true}
          - just-a-name
        implement: {samples: 2.0}
        test: make test
        """;

    assertEquals(
        List.of(
            "name: expected a string (line 1, col 7)",
            "targets: expected a list of mappings (line 3, col 10)",
            "plan.tasks[0].files: expected a list of strings (line 6, col 44)",
            "agents[0].command: expected a list of strings (line 8, col 43)",
            "agents[0].env: expected a mapping (line 8, col 53)",
            "agents[1].seed: expected an integer (line 9, col 38)",
            "agents[1].wrongRate: expected a number (line 9, col 54)",
            "agents[1].latencyMs: expected an integer (line 9, col 71)",
            "agents[2]: expected a mapping (line 10, col 5)",
            "implement.samples: expected an integer (line 11, col 22)",
            "test: expected a mapping (line 12, col 7)"),
        errors(yaml));
  }

  @Test
  void reportsAnIntegerOutOfRange() {
    assertEquals(
        List.of("agents[1].seed: integer out of range (line 10, col 38)"),
        errors(VALID.replace("type: simulated}", "type: simulated, seed: 99999999999999999999}")));
  }

  @Test
  void reportsMissingRequiredFieldsAtTheParent() {
    String yaml =
        """
        goal: nothing else
        plan:
          tasks:
            - id: t1
          forEachFile:
            - glob: "*.py"
        test:
          timeoutSeconds: 10
        """;

    assertEquals(
        List.of(
            "missing required field 'name' (line 1, col 1)",
            "missing required field 'kind' (line 1, col 1)",
            "missing required field 'targets' (line 1, col 1)",
            "missing required field 'agents' (line 1, col 1)",
            "plan.tasks[0]: missing required field 'instructions' (line 4, col 7)",
            "plan.forEachFile[0]: missing required field 'id' (line 6, col 7)",
            "plan.forEachFile[0]: missing required field 'instructions' (line 6, col 7)",
            "test: missing required field 'command' (line 8, col 3)"),
        errors(yaml));
  }

  @Test
  void reportsEmptyRequiredValues() {
    String yaml =
        """
        name:
        kind: change
        targets: []
        plan: {}
        agents:
          - {id: "", type: simulated}
        test:
          command: "  "
        """;

    assertEquals(
        List.of(
            "name: must not be empty (line 1, col 6)",
            "targets: must not be empty (line 3, col 10)",
            "plan: needs at least one entry in 'tasks' or 'forEachFile', or an 'agent' that plans them (line 4, col 7)",
            "agents[0].id: must not be empty (line 6, col 10)",
            "test.command: must not be empty (line 8, col 12)"),
        errors(yaml));
  }

  @Test
  void reportsValuesOutsideTheirEnumerationOrRange() {
    String yaml =
        """
        name: demo
        kind: refactor
        targets: [{path: repo}]
        plan: {tasks: [{id: t1, instructions: do it}]}
        agents:
          - {id: a, type: comand}
          - {id: b, type: command, command: [run], timeoutSeconds: 0}
          - {id: c, type: simulated, latencyMs: -1, wrongRate: 1.5}
        implement: {samples: 101}
        test: {command: make, timeoutSeconds: 86401}
        vote: {strategy: plurality}
        """;

    assertEquals(
        List.of(
            "kind: unknown kind 'refactor' (expected one of: change, review) (line 2, col 7)",
            "agents[0].type: unknown type 'comand' (did you mean 'command'?) (line 6, col 19)",
            "agents[1].timeoutSeconds: must be between 1 and 86400 (line 7, col 60)",
            "agents[2].latencyMs: must be 0 or more (line 8, col 41)",
            "agents[2].wrongRate: must be between 0 and 1 (line 8, col 56)",
            "implement.samples: must be between 1 and 100 (line 9, col 22)",
            "test.timeoutSeconds: must be between 1 and 86400 (line 10, col 39)",
            "vote.strategy: unknown strategy 'plurality' (expected one of: majority, quorum, unanimous,"
                + " best-of, first) (line 11, col 18)"),
        errors(yaml));
  }

  @Test
  void reportsFieldsThatDoNotFitTheAgentType() {
    String yaml =
        """
        name: demo
        kind: change
        targets: [{path: repo}]
        plan: {tasks: [{id: t1, instructions: do it}]}
        agents:
          - id: real
            type: command
            command: []
            seed: 3
          - id: fake
            type: simulated
            command: [run]
            env: {A: "1"}
        test: {command: make}
        """;

    assertEquals(
        List.of(
            "agents[0].command: must not be empty (line 8, col 14)",
            "agents[0].seed: only simulated agents take 'seed' (line 9, col 5)",
            "agents[1].command: only command agents take 'command' (line 12, col 5)",
            "agents[1].env: only command agents take 'env' (line 13, col 5)"),
        errors(yaml));
  }

  @Test
  void reportsDuplicateIds() {
    String yaml =
        """
        name: demo
        kind: change
        targets:
          - path: repos/textkit
          - path: other/textkit
          - {path: third, id: textkit}
        plan:
          tasks:
            - {id: t1, instructions: one}
            - {id: t1, instructions: two}
        agents:
          - {id: sim, type: simulated}
          - {id: sim, type: simulated}
        test: {command: make}
        """;

    assertEquals(
        List.of(
            "targets[1].path: duplicate target id 'textkit' (first used on line 4) (line 5, col"
                + " 11)",
            "targets[2].id: duplicate target id 'textkit' (first used on line 4) (line 6, col 23)",
            "plan.tasks[1].id: duplicate task id 't1' (first used on line 9) (line 10, col 12)",
            "agents[1].id: duplicate agent id 'sim' (first used on line 12) (line 13, col 10)"),
        errors(yaml));
  }

  @Test
  void reportsInvalidIdsAndTargetPathsWithoutAUsableName() {
    String yaml =
        """
        name: demo
        kind: change
        targets:
          - path: .
          - {path: repo, id: "my repo"}
        plan: {tasks: [{id: -t1, instructions: do it}]}
        agents: [{id: sim/1, type: simulated}]
        test: {command: make}
        """;

    String rule =
        "(ids start with a letter or digit and contain only letters, digits, '.', '_' and '-')";
    assertEquals(
        List.of(
            "targets[0].path: cannot derive a target id from path '.'; add an 'id' (line 4, col"
                + " 11)",
            "targets[1].id: invalid id 'my repo' " + rule + " (line 5, col 22)",
            "plan.tasks[0].id: invalid id '-t1' " + rule + " (line 6, col 21)",
            "agents[0].id: invalid id 'sim/1' " + rule + " (line 7, col 15)"),
        errors(yaml));
  }

  @Test
  void reportsUnknownAgentsAndTargetsWithDidYouMean() {
    String yaml =
        VALID
                .replace("- path: repo", "- {path: repo, id: textkit}")
                .replace("instructions: do it}", "instructions: do it, target: textkits}")
            + """
              implement:
                agents: [carefull, sim, sim, robot]
              """;

    assertEquals(
        List.of(
            "plan.tasks[0].target: unknown target 'textkits' (did you mean 'textkit'?) (line 7, col"
                + " 45)",
            "implement.agents[0]: unknown agent 'carefull' (did you mean 'careful'?) (line 14, col"
                + " 12)",
            "implement.agents[2]: agent 'sim' is listed twice (line 14, col 27)",
            "implement.agents[3]: unknown agent 'robot' (defined agents: careful, sim) (line 14,"
                + " col 32)"),
        errors(yaml));
  }

  @Test
  void reportsBadFanOutTemplates() {
    String yaml =
        VALID.replace(
            "plan:\n",
            """
            plan:
              forEachFile:
                - glob: "*.py"
                  id: docstring
                  instructions: "Document {file}"
                  test: "check {stem} ${HOME} {nmae}"
                - {glob: "*.md", id: "fix {stem}", instructions: "Fix {path}"}
            """);

    assertEquals(
        List.of(
            "plan.forEachFile[0].id: must contain {path}, {name} or {stem}, so that every file gets"
                + " its own task id (line 8, col 11)",
            "plan.forEachFile[0].instructions: unknown placeholder '{file}' (expected one of: path,"
                + " name, stem) (line 9, col 21)",
            "plan.forEachFile[0].test: unknown placeholder '{nmae}' (did you mean 'name'?)"
                + " (line 10, col 13)",
            "plan.forEachFile[1].id: invalid task id template 'fix {stem}' (ids start with a letter"
                + " or digit and contain only letters, digits, '.', '_' and '-') (line 11, col"
                + " 26)"),
        errors(yaml));
  }

  @Test
  void reportsDuplicateKeys() {
    String yaml =
        VALID.replace(
            "command: make test", "command: make test\n  timeoutSeconds: 5\n  command: make check");

    assertEquals(
        List.of("test.command: duplicate key 'command' (first on line 12) (line 14, col 3)"),
        errors(yaml));
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirLocation() {
    String yaml =
        """
        name: demo
        kind: change
          targets: [
        """;

    assertEquals(
        List.of("YAML syntax error: mapping values are not allowed here (line 3, col 10)"),
        errors(yaml));
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirContext() {
    String yaml =
        """
        name: demo
        agents:
        - id: a
         bad
        """;

    assertEquals(
        List.of(
            "YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a block"
                + " mapping that starts on line 1) (line 4, col 2)"),
        errors(yaml));
  }

  @Test
  void reportsTabIndentation() {
    assertEquals(
        List.of(
            "YAML syntax error: found character '\\t(TAB)' that cannot start any token. (Do not use"
                + " \\t(TAB) for indentation) (line 3, col 1)"),
        errors("name: demo\ntest:\n\tcommand: make\n"));
  }

  @Test
  void reportsDocumentsThatAreNotASpec() {
    assertEquals(List.of("the spec is empty"), errors(""));
    assertEquals(List.of("the spec is empty"), errors("# nothing\n---\n"));
    assertEquals(
        List.of(
            "expected a mapping of spec fields (name, kind, ...) at the top level (line 1, col 1)"),
        errors("- name: demo\n"));
    assertEquals(
        List.of("found a second YAML document; a spec is a single document (line 14, col 1)"),
        errors(VALID + "---\nname: again\n"));
  }

  @Test
  void reportsFilesThatCannotBeRead(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.yaml");
    SpecException notFound = assertThrows(SpecException.class, () -> SpecParser.parse(missing));
    assertEquals("Invalid spec " + missing + ":\nfile not found", notFound.getMessage());

    Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', ':', ' ', (byte) 0xE9});
    SpecException notUtf8 = assertThrows(SpecException.class, () -> SpecParser.parse(latin1));
    assertEquals(List.of(new SpecError("", "the file is not UTF-8 text", 0, 0)), notUtf8.errors());
  }

  @Test
  void quorumGoesWithTheQuorumStrategyOnly() {
    assertEquals(
        List.of("vote: strategy 'quorum' needs 'quorum: N' (line 14, col 3)"),
        errors(VALID + "vote:\n  strategy: quorum\n"));
    assertEquals(
        List.of("vote.quorum: only strategy 'quorum' takes 'quorum' (line 15, col 11)"),
        errors(VALID + "vote:\n  strategy: majority\n  quorum: 2\n"));
  }
}
