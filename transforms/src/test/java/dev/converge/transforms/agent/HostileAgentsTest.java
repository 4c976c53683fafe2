package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.testing.Canary;
import dev.converge.transforms.testing.GitRepos;
import dev.converge.transforms.testing.ReliabilityLog;
import dev.converge.transforms.workspace.TestCandidates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command agents that try to reach outside their checkout through what they leave in it: links
 * out of the repository, planted git hooks, git configuration that runs commands ({@code
 * core.fsmonitor}, a clean filter), a {@code .git} swapped for a pointer to the user's repository,
 * submodules, huge and binary files and file names with control characters. Each runs through
 * {@link ImplementTasks} and the test gate, whose test command writes through every link it finds
 * and commits (so a planted hook would run). Every trick ends in a candidate refused with its
 * reason, or, for tricks confined to the agent's own {@code .git}, in a clean candidate; the
 * canary folder, the user's repository and its {@code .git} are unchanged, and no hook ran.
 */
class HostileAgentsTest {
  /** Writes through every link in the checkout and commits, as a careless test suite might. */
  private static final String TEST_THAT_FOLLOWS_LINKS =
      "for l in $(find . -path ./.git -prune -o -type l -print); do"
          + " echo x > \"$l/escaped\" 2>/dev/null; echo x >> \"$l\" 2>/dev/null; done;"
          + " git -c user.name=t -c user.email=t@example.com commit -qam test >/dev/null 2>&1; true";

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  /** Agent id to its script and what must become of its candidate ("" for a clean, passing one). */
  private Map<String, String[]> hostileAgents(Path canary, Path repo) {
    String c = canary.toString();
    String hook = "printf '#!/bin/sh\\ntouch " + c + "/hook-ran\\n'";
    Map<String, String[]> agents = new LinkedHashMap<>();
    agents.put("link-to-folder-outside", new String[] {"ln -s " + c + " out", "symbolic link out"});
    agents.put("link-to-file-outside", new String[] {"ln -s " + c + "/keep.txt k", "symbolic link k"});
    agents.put("link-up-with-dotdot", new String[] {"mkdir d && ln -s ../../../.. d/up", "symbolic link d/up"});
    agents.put("link-into-git", new String[] {"ln -s .git/hooks h", "symbolic link h"});
    agents.put(
        "planted-hooks",
        new String[] {
          "for h in pre-commit post-commit post-checkout post-index-change reference-transaction; do "
              + hook + " > .git/hooks/$h; chmod +x .git/hooks/$h; done; echo two > a.txt",
          ""
        });
    agents.put(
        "hooks-path-config",
        new String[] {
          hook + " > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit;"
              + " git config core.hooksPath .git/hooks; echo two > a.txt",
          ""
        });
    agents.put(
        "fsmonitor-config",
        new String[] {"git config core.fsmonitor 'touch " + c + "/fsmonitor-ran; false'; echo two > a.txt", ""});
    agents.put(
        "clean-filter-config",
        new String[] {
          "git config filter.evil.clean 'touch " + c + "/filter-ran; cat'; echo '* filter=evil' > .gitattributes;"
              + " echo two > a.txt",
          ""
        });
    agents.put(
        "include-config",
        new String[] {
          "printf '[core]\\n\\tfsmonitor = touch " + c + "/include-ran\\n' > .git/evil.cfg;"
              + " git config include.path evil.cfg; echo two > a.txt",
          ""
        });
    agents.put(
        "gitdir-pointing-at-user-repo",
        new String[] {
          "rm -rf .git && echo 'gitdir: " + repo + "/.git' > .git && echo two > a.txt", "replaced the checkout"
        });
    agents.put(
        "commondir-pointing-at-user-repo",
        new String[] {"echo '" + repo + "/.git' > .git/commondir && echo two > a.txt", ""});
    agents.put(
        "nested-repository",
        new String[] {
          "git init -q sub && git -C sub -c user.name=x -c user.email=x@example.com commit -q --allow-empty -m x",
          "submodule (gitlink) at sub"
        });
    agents.put(
        "gitmodules",
        new String[] {"printf '[submodule \"x\"]\\n\\tpath = x\\n\\turl = ../x\\n' > .gitmodules", ".gitmodules"});
    agents.put("huge-file", new String[] {"head -c 5000000 /dev/zero | tr '\\0' a > big.txt", "bytes to big.txt"});
    agents.put(
        "many-big-files",
        new String[] {
          "for i in 1 2 3; do head -c 4000000 /dev/zero | tr '\\0' a > big$i.txt; done", "bytes of files"
        });
    agents.put("binary-file", new String[] {"printf 'a\\000b' > blob.dat", "binary content in blob.dat"});
    agents.put("control-character-name", new String[] {"touch \"$(printf 'x\\001y')\"", "control characters"});
    agents.put("newline-name", new String[] {"touch \"$(printf 'a\\nb')\"", "control characters"});
    return agents;
  }

  @Test
  void noTrickLeftInTheCheckoutReachesOutside() {
    Canary canary = Canary.in(tmp.resolve("canary"));
    Path repo = tmp.resolve("repo");
    String base = GitRepos.create(repo, Map.of("a.txt", "one\n"));
    Canary userRepo = Canary.watching(repo);
    String canaryBefore = canary.hash();
    String repoBefore = userRepo.hash();

    Map<String, String[]> hostile = hostileAgents(canary.dir(), repo);
    List<CommandAgent> agents =
        hostile.entrySet().stream()
            .map(e -> CommandAgent.of(e.getKey(), List.of("sh", "-c", e.getValue()[0])))
            .toList();
    Map<String, String> expected = new HashMap<>();
    hostile.forEach((id, script) -> expected.put(id, script[1]));
    Task task = GitRepos.task("t1", repo, base, TEST_THAT_FOLLOWS_LINKS, 60);
    String workDir = tmp.resolve("work").toString();

    PCollection<Candidate> candidates =
        pipeline
            .apply("Tasks", Create.of(List.of(task)).withCoder(JsonCoder.of(Task.class)))
            .apply(ImplementTasks.with(agents).withWorkDir(workDir))
            .apply(TestCandidates.inWorkDir(workDir))
            .apply(Values.create());
    PAssert.that(candidates)
        .satisfies(
            all -> {
              int count = 0;
              for (Candidate c : all) {
                count++;
                String fragment = expected.get(c.agentId());
                assertNotNull(fragment, c.agentId());
                if (fragment.isEmpty()) {
                  assertEquals(CandidateStatus.PRODUCED, c.status(), c.agentId() + ": " + c);
                  assertEquals(TestStatus.PASSED, c.test().status(), c.agentId() + ": " + c.test());
                } else {
                  assertEquals(CandidateStatus.AGENT_FAILED, c.status(), c.agentId() + ": " + c);
                  assertTrue(
                      c.reason().startsWith("unsafe change refused: the agent ") && c.reason().contains(fragment),
                      c.agentId() + ": " + c.reason());
                }
              }
              assertEquals(expected.size(), count);
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertEquals(canaryBefore, canary.hash(), "the canary changed: " + canary.listing());
    assertEquals(repoBefore, userRepo.hash(), "the user's repository changed");
    long refused = expected.values().stream().filter(f -> !f.isEmpty()).count();
    ReliabilityLog.named("hostile-command-agents")
        .put("cases", expected.size())
        .put("refused", refused)
        .put("confinedToOwnGitFolder", expected.size() - refused)
        .put("escapes", 0)
        .put("hooksRun", 0)
        .write();
  }
}
