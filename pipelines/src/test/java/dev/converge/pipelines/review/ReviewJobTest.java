package dev.converge.pipelines.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.review.ClusterState;
import dev.converge.transforms.review.FindingCluster;
import dev.converge.transforms.review.ReviewCall;
import dev.converge.transforms.review.ReviewOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A review of a git repository and a plain folder, compiled from a spec and run twice. */
class ReviewJobTest {
  /** Reports rule 'secret' on every line with SECRET; REVIEWER_MODE=garbage prints no JSON. */
  private static final String REVIEWER =
      """
      import json, os, sys
      if os.environ.get("REVIEWER_MODE") == "garbage":
          print("no findings, I think")
          sys.exit(0)
      start = int(os.environ["CONVERGE_CHUNK_START"])
      found = [{"rule": "secret", "startLine": start + i, "endLine": start + i,
                "message": "hard-coded secret " + os.environ["CONVERGE_AGENT_ID"]}
               for i, line in enumerate(sys.stdin.read().splitlines()) if "SECRET" in line]
      print(json.dumps(found))
      """;

  @TempDir Path dir;
  private Path specFile;
  private Path repo;
  private Path out;

  @BeforeEach
  void layOut() throws Exception {
    Files.writeString(dir.resolve("reviewer.py"), REVIEWER);
    repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve("src"));
    Files.writeString(repo.resolve("src/a.py"), "import os\nSECRET = 'abc'\n");
    Files.writeString(repo.resolve("README.md"), "SECRET in a document is out of scope\n");
    commit("initial");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("notes.py"), "SECRET = 1\n");
    Files.write(docs.resolve("blob.py"), new byte[] {1, 0, 2});
    out = dir.resolve("out");
    specFile = dir.resolve("review.yaml");
    writeSpec("");
  }

  private void writeSpec(String extraEnv) throws Exception {
    Files.writeString(
        specFile,
        """
        name: unit-review
        kind: review
        targets:
          - path: repo
          - path: docs
        rules:
          - {id: secret, title: Hard-coded secret, severity: critical, files: ["**/*.py"]}
        agents:
          - {id: r1, type: command, command: [python3, "{specDir}/reviewer.py"], env: {PYTHONDONTWRITEBYTECODE: "1"}}
          - {id: r2, type: command, command: [python3, "{specDir}/reviewer.py"], env: {PYTHONDONTWRITEBYTECODE: "1"%s}}
        reviewers:
          - {agent: r1}
          - {agent: r2}
        """.formatted(extraEnv));
  }

  private void commit(String message) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      git.commit().setMessage(message).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
    }
  }

  private ReviewOutputs.Finished run(boolean full) throws Exception {
    Spec spec = SpecParser.parse(specFile);
    ReviewJob job =
        ReviewJob.compile(spec, specFile, new ReviewJob.Settings(out.toString(), null, full, dir.resolve("clones")));
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline pipeline = Pipeline.create(options);
    Files.createDirectories(out);
    job.expandInto(pipeline, out.toString(), dir.resolve("work").toString());
    pipeline.run().waitUntilFinish();
    return job.finish(out.toString(), "direct", 1.0);
  }

  private static Map<String, String> states(ReviewOutputs.Finished finished) {
    return finished.clusters().stream()
        .collect(Collectors.toMap(c -> c.fileKey() + ":" + c.startLine(), c -> c.state().label()));
  }

  @Test
  void reviewsRepositoriesAtTheirCommitAndPlainFoldersThenOnlyWhatChanged() throws Exception {
    // Uncommitted work-tree changes of the repository are not reviewed.
    Files.writeString(repo.resolve("src/a.py"), "SECRET = 'uncommitted'\nSECRET = 2\n");

    ReviewOutputs.Finished first = run(false);

    assertEquals(Map.of("repo/src/a.py:2", "accepted", "docs/notes.py:1", "accepted"), states(first));
    assertEquals(3, first.summary().files(), "a.py, notes.py and blob.py match the rule; README.md does not");
    assertEquals(1, first.summary().filesSkipped());
    assertEquals(4, first.summary().reviewerCalls());
    assertEquals(2, first.summary().newFindings());
    assertEquals(2, first.summary().findings());
    assertTrue(Files.exists(out.resolve("findings.sarif")));
    assertTrue(Files.exists(out.resolve("review-state.json")));

    Files.writeString(repo.resolve("src/a.py"), "import os\nTOKEN = os.environ['T']\n");
    commit("read the secret from the environment");
    ReviewOutputs.Finished second = run(false);

    assertEquals(Map.of("repo/src/a.py:2", "fixed", "docs/notes.py:1", "carried"), states(second));
    assertEquals(2, second.summary().reviewerCalls(), "only the changed file, by both reviewers");
    assertTrue(second.calls().stream().filter(ReviewCall::agentCall).allMatch(c -> c.fileKey().equals("repo/src/a.py")));
    assertEquals(1, second.summary().findings());
    assertEquals(0, second.summary().newFindings());
    assertEquals(1, second.summary().fixed());
    assertEquals("1 new or changed, 2 unchanged, 0 deleted", second.summary().plan());
  }

  @Test
  void aReviewerThatPrintsGarbageIsAFailedCallAndItsFilesAreReviewedAgain() throws Exception {
    writeSpec(", REVIEWER_MODE: garbage");
    ReviewOutputs.Finished first = run(false);

    assertEquals(2, first.summary().failedReviewerCalls());
    assertTrue(
        first.calls().stream().filter(ReviewCall::failed).allMatch(c -> c.reviewer().equals("r2") && c.reason().startsWith("the answer is not JSON")),
        first.calls().toString());
    assertEquals(Map.of("repo/src/a.py:2", "no-quorum", "docs/notes.py:1", "no-quorum"), states(first));
    for (FindingCluster cluster : first.clusters()) {
      assertEquals(ClusterState.NO_QUORUM, cluster.state());
    }

    ReviewOutputs.Finished second = run(false);
    assertEquals(4, second.summary().reviewerCalls(), "files with a failed call are reviewed again");
  }

  @Test
  void aPlainFolderTakesNoRef() throws Exception {
    Files.writeString(
        specFile, Files.readString(specFile).replace("  - path: docs\n", "  - path: docs\n    ref: main\n"));
    PlanException e = assertThrows(PlanException.class, () -> run(false));
    assertTrue(e.getMessage().startsWith("targets[1].ref: "), e.getMessage());
  }
}
