package dev.converge.transforms.reduce;

import static dev.converge.transforms.testing.CandidateFixtures.produced;
import static dev.converge.transforms.testing.CandidateFixtures.tested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Json;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReduceConflictsTest {
  private static final String A = "line 1\nline 2\nline 3\n";

  @TempDir Path tmp;

  private final transient TestPipeline pipeline =
      TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private Path repo;
  private String base;

  @BeforeEach
  void createRepo() {
    repo = tmp.resolve("repo");
    base =
        GitRepos.create(
            repo, Map.of("a.txt", A, "b.txt", "bee\n", "c.txt", "sea\n"));
  }

  /** A merged outcome of task {@code id} whose accepted patch writes {@code changes}. */
  private Outcome merged(String id, Map<String, String> changes) {
    return merged(id, repo, base, changes);
  }

  private static Outcome merged(String id, Path repo, String base, Map<String, String> changes) {
    Task task = GitRepos.task(id, repo, base);
    String patch = GitRepos.diff(repo, base, changes);
    Candidate winner = tested(produced(id, "agent", 0, patch), TestStatus.PASSED);
    return new Outcome(
        task,
        TaskState.MERGED,
        "majority: 1 of 1 candidates made this change and passed the tests (agent#0)",
        List.of(winner),
        List.of(new VoteCluster(winner.patchHash(), List.of("agent#0"), true, true)),
        patch);
  }

  private PCollection<Outcome> reduce(String name, List<Outcome> outcomes) {
    return pipeline
        .apply(name, Create.of(outcomes).withCoder(JsonCoder.of(Outcome.class)))
        .apply(name + "Reduce", ReduceConflicts.inWorkDir(tmp.resolve("work").toString()))
        .get(ReduceConflicts.OUTCOMES);
  }

  private static Map<String, Outcome> byTask(Iterable<Outcome> outcomes) {
    Map<String, Outcome> byTask = new HashMap<>();
    for (Outcome o : outcomes) {
      assertEquals(null, byTask.put(o.task().id(), o), "two outcomes for " + o.task().id());
    }
    return byTask;
  }

  @Test
  void tasksEditingDifferentFilesAreBothMerged() {
    Outcome t1 = merged("t1", Map.of("a.txt", "line 1\nline 2 by t1\nline 3\n"));
    Outcome t2 = merged("t2", Map.of("b.txt", "bee by t2\n"));
    // Another repository where the same file is edited differently: different targets never collide.
    Path otherRepo = tmp.resolve("other");
    String otherBase = GitRepos.create(otherRepo, Map.of("a.txt", A));
    Outcome t3 = merged("t3", otherRepo, otherBase, Map.of("a.txt", "line 1\nline 2 by t3\nline 3\n"));
    PAssert.that(reduce("Outcomes", List.of(t1, t2, t3))).containsInAnyOrder(t1, t2, t3);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void sameLineEditedTwiceMakesTheLargerTaskIdAConflict() {
    Outcome t1 = merged("t1", Map.of("a.txt", "line 1\nline 2 by t1\nline 3\n"));
    Outcome t2 = merged("t2", Map.of("a.txt", "line 1\nline 2 by t2\nline 3\n"));
    // Outcome is not Serializable: the check below captures its JSON instead.
    String t1Json = Json.line(t1);
    String t2Json = Json.line(t2);
    String t2Reason = t2.reason();
    PAssert.that(reduce("Outcomes", List.of(t2, t1)))
        .satisfies(
            all -> {
              Map<String, Outcome> byTask = byTask(all);
              assertEquals(2, byTask.size());
              assertEquals(t1Json, Json.line(byTask.get("t1")));
              Outcome conflict = byTask.get("t2");
              assertEquals(TaskState.CONFLICT, conflict.state());
              assertTrue(conflict.reason().contains("t1"), conflict.reason());
              // Only the state and the reason change: the evidence and the patch are kept.
              assertEquals(
                  t2Json, Json.line(conflict.withState(TaskState.MERGED, t2Reason)));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void outcomesThatWereNotMergedPassThroughUntouched() {
    Outcome merged = merged("t1", Map.of("a.txt", "line 1\nline 2 by t1\nline 3\n"));
    // Not merged, although its patch would conflict with t1: it must not be applied.
    Outcome rejected =
        merged("t2", Map.of("a.txt", "line 1\nline 2 by t2\nline 3\n"))
            .withState(TaskState.REJECTED, "no candidate passed the tests: agent#0 failed");
    Outcome failed =
        new Outcome(
            GitRepos.task("t0", repo, base),
            TaskState.FAILED,
            "every agent call failed: agent#0 exited with code 3",
            List.of(),
            List.of(),
            "");
    PAssert.that(reduce("Outcomes", List.of(rejected, merged, failed)))
        .containsInAnyOrder(merged, rejected, failed);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void resultDoesNotDependOnInputOrder() {
    Outcome t1 = merged("t1", Map.of("a.txt", "line 1\nline 2 by t1\nline 3\n"));
    Outcome t2 = merged("t2", Map.of("a.txt", "line 1\nline 2 by t2\nline 3\n"));
    Outcome t3 = merged("t3", Map.of("b.txt", "bee by t3\n"));
    Outcome t4 = merged("t4", Map.of("a.txt", "line 1\nline 2\nline 3 by t4\n"));
    List<Outcome> forward = List.of(t1, t2, t3, t4);
    List<List<Outcome>> orders = new ArrayList<>();
    orders.add(forward);
    orders.add(List.of(t4, t3, t2, t1));
    List<Outcome> shuffled = new ArrayList<>(forward);
    Collections.shuffle(shuffled, new java.util.Random(3));
    orders.add(shuffled);

    SerializableFunction<Iterable<Outcome>, Void> check =
        all -> {
          Map<String, Outcome> byTask = byTask(all);
          assertEquals(4, byTask.size());
          assertEquals(TaskState.MERGED, byTask.get("t1").state());
          assertEquals(TaskState.CONFLICT, byTask.get("t2").state());
          assertEquals(TaskState.MERGED, byTask.get("t3").state());
          // t4 touches line 3, next to t1's line 2: the context no longer matches.
          assertEquals(TaskState.CONFLICT, byTask.get("t4").state());
          return null;
        };
    List<PCollection<String>> described = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      PCollection<Outcome> out = reduce("Order" + i, orders.get(i));
      PAssert.that("order " + i, out).satisfies(check);
      String order = Integer.toString(i);
      described.add(
          out.apply(
              "Describe" + i,
              MapElements.into(TypeDescriptors.strings())
                  .via(o -> order + "|" + Json.line(o))));
    }
    // The very same outcomes (states, reasons, patches), whatever the order.
    PAssert.that(PCollectionList.of(described).apply(Flatten.pCollections()))
        .satisfies(
            all -> {
              Map<String, Set<String>> byOrder = new TreeMap<>();
              for (String line : all) {
                int bar = line.indexOf('|');
                byOrder
                    .computeIfAbsent(line.substring(0, bar), k -> new TreeSet<>())
                    .add(line.substring(bar + 1));
              }
              assertEquals(3, byOrder.size());
              Set<String> first = byOrder.get("0");
              assertEquals(4, first.size());
              byOrder.forEach((order, outcomes) -> assertEquals(first, outcomes, "order " + order));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  // Was a bug of the sequential `git apply` version (it named every earlier task); the 3-way merge
  // names only the tasks whose hunks overlap.
  @Test
  void conflictReasonNamesOnlyTheTasksItCollidesWith() {
    Outcome t1 = merged("t1", Map.of("a.txt", "line 1\nline 2 by t1\nline 3\n"));
    Outcome t2 = merged("t2", Map.of("b.txt", "bee by t2\n"));
    Outcome t3 = merged("t3", Map.of("a.txt", "line 1\nline 2 by t3\nline 3\n"));
    PAssert.that(reduce("Outcomes", List.of(t1, t2, t3)))
        .satisfies(
            all -> {
              Outcome conflict = byTask(all).get("t3");
              assertEquals(TaskState.CONFLICT, conflict.state());
              assertTrue(conflict.reason().contains("t1"), conflict.reason());
              assertFalse(conflict.reason().contains("t2"), conflict.reason());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
