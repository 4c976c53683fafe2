package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.testing.FakeAgent;
import dev.converge.transforms.testing.GitRepos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A verifier's calls go through the run it shares: its provider slots and its budget. */
class VerifierTest {
  private static final String PATCH = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n";

  @TempDir Path tmp;
  private Task task;

  @BeforeEach
  void createRepo() {
    Path repo = tmp.resolve("repo");
    task = GitRepos.task("t1", repo, GitRepos.create(repo, Map.of("a.txt", "one\n")));
  }

  private ImplementTasks run(Agent agent) {
    return ImplementTasks.with(List.of(agent)).withWorkDir(tmp.resolve("work").toString()).withRunId(UUID.randomUUID().toString());
  }

  @Test
  void noVerifierCallStartsOnceTheSharedBudgetIsSpent() {
    CountingVerifier judge = new CountingVerifier(1, 0);
    Verifier verifier = Verifier.of(judge).sharing(run(judge).withBudget(new BudgetLimits(0, 100, 0, 0)));

    Verification first = verifier.verify(task, PATCH, Verification.VERIFY, 0, 0);
    Verification second = verifier.verify(task, PATCH, Verification.VERIFY, 0, 1);

    assertTrue(first.accepted(), first.toString());
    assertEquals(150, first.inputTokens() + first.outputTokens());
    assertFalse(second.accepted());
    assertTrue(second.reasons().get(0).startsWith("budget:"), second.reasons().toString());
    assertEquals(1, judge.calls.get(), "calls made");
  }

  @Test
  void verifierCallsTakeTheProviderSlotsOfTheRun() throws Exception {
    CountingVerifier judge = new CountingVerifier(2, 500);
    Verifier verifier = Verifier.of(judge).sharing(run(judge));

    List<CompletableFuture<Verification>> judged = new ArrayList<>();
    for (int opinion = 0; opinion < Verifier.MAX_OPINIONS; opinion++) {
      int which = opinion;
      judged.add(CompletableFuture.supplyAsync(() -> verifier.verify(task, PATCH, Verification.VERIFY, 0, which)));
    }
    for (CompletableFuture<Verification> one : judged) {
      assertTrue(one.get(60, TimeUnit.SECONDS).accepted());
    }
    assertEquals(Verifier.MAX_OPINIONS, judge.calls.get());
    assertEquals(2, judge.mostAtOnce.get(), "calls at once with a concurrency of 2");
  }

  @Test
  void sharingNeedsTheRunId() {
    CountingVerifier judge = new CountingVerifier(1, 0);
    assertThrows(IllegalArgumentException.class, () -> Verifier.of(judge).sharing(ImplementTasks.with(List.of(judge))));
  }

  /** Passes every patch after {@code holdMs}, 100 input and 50 output tokens a call; counts calls at once. */
  private static final class CountingVerifier extends FakeAgent implements ModelAgent {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    private final long holdMs;

    CountingVerifier(int concurrency, long holdMs) {
      super("counting-judge", "scripted", concurrency);
      this.holdMs = holdMs;
    }

    @Override
    public ModelReply call(ModelCall call) throws InterruptedException {
      calls.incrementAndGet();
      mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(holdMs);
      } finally {
        inFlight.decrementAndGet();
      }
      return new ModelReply("{\"verdict\": \"pass\", \"score\": 0.9}", "counting", 100, 50, "stop");
    }
  }
}
