package dev.converge.transforms.reduce;

import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.Texts;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.reduce.ChangedRegions.Overlap;
import dev.converge.transforms.reduce.ChangedRegions.Region;
import dev.converge.transforms.reduce.MergeRepository.ConflictCheckout;
import dev.converge.transforms.reduce.MergeRepository.MergeAttempt;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Sandbox;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Combines the accepted changes of the tasks of one repository into one series of commits, and
 * decides which tasks end {@code merged} and which {@code conflict} (or {@code rejected}).
 *
 * <ol>
 *   <li>In task-id order, each accepted change is merged into the combination of the ones before
 *       it with a real 3-way merge (JGit, the common base commit as merge base). Changes to
 *       different parts of one file combine; overlapping changes are a conflict. A conflict goes to
 *       the {@code resolver} agent when there is one, and its resolution must pass the tests of
 *       both tasks; otherwise the later task ends {@code conflict}, with the task and the hunk it
 *       collides with in its reason.
 *   <li>The combination is tested again: with the target's test command and with the test command
 *       of every merged task. When a check fails, the tasks are bisected: the first task whose
 *       addition breaks the check is guilty. A guilty task that breaks the check on its own ends
 *       {@code rejected}; one that only breaks it together with others ends {@code conflict},
 *       naming the task it does not combine with. It is taken out and the rest is merged and
 *       tested again. A check that already fails at the base commit (and that no merged task
 *       passed on its own) cannot tell anything and is skipped.
 *   <li>The merged tasks' commits become a {@link MergedSeries} (an mbox for {@code git am}), and
 *       optionally a branch in the user's repository.
 * </ol>
 *
 * <p>Everything is ordered by task id and commits have a fixed identity and date, so two runs give
 * the same states, reasons and commit ids.
 */
public final class RepoCombiner {
  private static final int REASON_TAIL_CHARS = 300;

  private final Path workDir;
  private final TargetCheck targetCheck;
  private final Agent resolver;
  private final String branch;
  private final Sandbox sandbox;

  /**
   * @param workDir folder for the private clones and checkouts (each is removed when done)
   * @param targetCheck the target's test command, or null to test the combination with the tasks'
   *     own test commands only
   * @param resolver the agent asked to resolve true conflicts, or null to mark them {@code conflict}
   * @param branch the branch to create in the user's repository, or null for none
   * @param sandbox how the checks (test commands run on agents' combined code) are confined
   */
  public RepoCombiner(Path workDir, TargetCheck targetCheck, Agent resolver, String branch, Sandbox sandbox) {
    this.workDir = workDir;
    this.targetCheck = targetCheck;
    this.resolver = resolver;
    this.branch = branch;
    this.sandbox = sandbox;
  }

  /** The final outcome of every accepted task, and the merged series when any task merged. */
  public record Result(List<Outcome> outcomes, Optional<MergedSeries> series) {}

  /** Combines the accepted (merged-by-vote) outcomes of the tasks of {@code target}. */
  public Result combine(String target, List<Outcome> accepted) {
    List<Outcome> sorted = new ArrayList<>(accepted);
    sorted.sort(Comparator.comparing(o -> o.task().id()));
    List<Outcome> results = new ArrayList<>();
    if (sorted.isEmpty()) {
      return new Result(results, Optional.empty());
    }
    Task first = sorted.get(0).task();
    List<Outcome> sameBase = new ArrayList<>();
    for (Outcome outcome : sorted) {
      if (outcome.task().baseCommit().equals(first.baseCommit())
          && outcome.task().repoPath().equals(first.repoPath())) {
        sameBase.add(outcome);
      } else {
        results.add(
            outcome.withState(
                TaskState.FAILED,
                "starts from " + outcome.task().repoPath() + " at " + shortId(outcome.task().baseCommit())
                    + ", unlike the other tasks of " + target + "; cannot combine them"));
      }
    }
    try (MergeRepository repo = MergeRepository.cloneOf(first.repoPath(), workDir, target)) {
      Run run = new Run(target, first.repoPath(), repo, ObjectId.fromString(first.baseCommit()));
      Optional<MergedSeries> series = run.combine(sameBase, results);
      return new Result(results, series);
    } catch (Exception e) {
      Set<String> settled = results.stream().map(o -> o.task().id()).collect(Collectors.toSet());
      List<Outcome> failed = new ArrayList<>(results);
      for (Outcome outcome : sameBase) {
        if (!settled.contains(outcome.task().id())) {
          failed.add(
              outcome.withState(
                  TaskState.FAILED,
                  "could not combine the changes of " + target + ": "
                      + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
      return new Result(failed, Optional.empty());
    }
  }

  /** A command that checks a combination, and who it belongs to. */
  private record Check(String command, int timeoutSeconds, String label, String taskId) {}

  /** What running a check on one tree gave. */
  private record TestRun(boolean passed, String tail) {}

  /** A merged task in a chain: its commit on top of the previous link (or the base). */
  private record Link(Outcome outcome, ObjectId parent, ObjectId commit, String resolution) {
    String id() {
      return outcome.task().id();
    }
  }

  /** Tasks merged one after another; the ones that did not merge, with why. */
  private record Chain(List<Link> links, Map<String, String> conflicts, ObjectId head) {}

  /** A check that fails on a chain's head; {@code reference} passes it alone (null: the base does). */
  private record Failure(Check check, Outcome reference, TestRun run) {}

  /** A resolver's answer to one conflict: a tree, or why there is none. */
  private record Resolution(ObjectId tree, String note, String failure) {}

  /** The state of one {@link #combine} call. */
  private final class Run {
    private final String target;
    private final String repoPath;
    private final MergeRepository repo;
    private final ObjectId base;
    private final Map<String, ObjectId> alone = new HashMap<>();
    private final Map<String, Map<String, List<Region>>> regions = new HashMap<>();
    private final Map<String, TestRun> testRuns = new HashMap<>();
    private final Map<String, Resolution> resolutions = new HashMap<>();
    private final Set<String> skippedChecks = new LinkedHashSet<>();
    private final List<String> checkNotes = new ArrayList<>();

    Run(String target, String repoPath, MergeRepository repo, ObjectId base) {
      this.target = target;
      this.repoPath = repoPath;
      this.repo = repo;
      this.base = base;
    }

    Optional<MergedSeries> combine(List<Outcome> tasks, List<Outcome> results) throws IOException {
      List<Outcome> active = new ArrayList<>();
      List<MergeRepository.Applied> applied =
          repo.applyPatches(base, tasks.stream().map(Outcome::patch).toList());
      for (int i = 0; i < tasks.size(); i++) {
        Outcome outcome = tasks.get(i);
        String id = outcome.task().id();
        try {
          if (applied.get(i).error() != null) {
            throw applied.get(i).error();
          }
          alone.put(id, repo.commit(applied.get(i).tree(), base, message(outcome, "")));
          regions.put(id, ChangedRegions.of(outcome.patch()));
          active.add(outcome);
        } catch (IOException e) {
          results.add(
              outcome.withState(
                  TaskState.FAILED,
                  "its accepted patch does not apply to " + shortId(base.name()) + " for merging: "
                      + e.getMessage()));
        }
      }
      Map<String, Outcome> removed = new LinkedHashMap<>();
      Chain chain = build(active, true);
      while (!chain.links().isEmpty()) {
        Optional<Failure> failure = firstFailure(chain);
        if (failure.isEmpty()) {
          break;
        }
        Outcome verdict = blame(chain, failure.get());
        removed.put(verdict.task().id(), verdict);
        active.removeIf(o -> o.task().id().equals(verdict.task().id()));
        chain = build(active, true);
      }

      List<Outcome> merged = new ArrayList<>();
      for (Link link : chain.links()) {
        merged.add(settle(link));
      }
      for (Outcome outcome : active) {
        String why = chain.conflicts().get(outcome.task().id());
        if (why != null) {
          results.add(outcome.withState(TaskState.CONFLICT, why));
        }
      }
      results.addAll(removed.values());
      if (chain.links().isEmpty()) {
        results.addAll(merged);
        return Optional.empty();
      }
      String mbox = repo.formatPatches(base, chain.head());
      String branchNote = "";
      if (branch != null) {
        try {
          branchNote = repo.publishBranch(repoPath, base, chain.head(), branch);
        } catch (IOException e) {
          branchNote = "branch " + branch + " not created: " + e.getMessage();
          merged.replaceAll(o -> o.withState(o.state(), o.reason() + "; " + branchNote(e)));
        }
      }
      results.addAll(merged);
      return Optional.of(
          new MergedSeries(
              target,
              repoPath,
              base.name(),
              chain.head().name(),
              chain.links().stream().map(Link::id).toList(),
              mbox,
              branchNote,
              List.copyOf(checkNotes)));
    }

    private String branchNote(IOException e) {
      return "branch " + branch + " not created: " + e.getMessage();
    }

    /** The merged outcome of a link; a resolved task's patch is its commit of the series. */
    private Outcome settle(Link link) throws IOException {
      Outcome outcome = link.outcome();
      if (link.resolution() == null) {
        return outcome;
      }
      return outcome.withDecision(
          TaskState.MERGED,
          outcome.reason() + "; " + link.resolution(),
          repo.diff(link.parent(), link.commit()));
    }

    /** Merges {@code order} one task after another; tasks that do not merge are left out. */
    private Chain build(List<Outcome> order, boolean mayCallResolver) throws IOException {
      ObjectId head = base;
      List<Link> links = new ArrayList<>();
      Map<String, String> conflicts = new LinkedHashMap<>();
      for (Outcome outcome : order) {
        String id = outcome.task().id();
        MergeAttempt attempt = repo.merge(base, head, alone.get(id));
        if (attempt.clean()) {
          ObjectId commit = repo.commit(attempt.tree(), head, message(outcome, ""));
          links.add(new Link(outcome, head, commit, null));
          head = commit;
          continue;
        }
        Set<String> partners = new LinkedHashSet<>();
        String why = describeConflict(id, attempt.conflictingPaths(), links, partners);
        if (resolver != null) {
          String key = id + "\u0000" + head.name();
          Resolution resolution = resolutions.get(key);
          if (resolution == null && mayCallResolver) {
            resolution = resolve(outcome, head, why, partners, links);
            resolutions.put(key, resolution);
          }
          if (resolution != null && resolution.tree() != null) {
            ObjectId commit =
                repo.commit(resolution.tree(), head, message(outcome, resolvedTrailer(partners)));
            links.add(new Link(outcome, head, commit, resolution.note()));
            head = commit;
            continue;
          }
          if (resolution != null) {
            why = why + "; asked to resolve it, " + resolver.id() + " " + resolution.failure();
          }
        }
        conflicts.put(id, why);
      }
      return new Chain(List.copyOf(links), conflicts, head);
    }

    /** Names the merged tasks and the hunks that {@code id}'s change collides with. */
    private String describeConflict(
        String id, List<String> paths, List<Link> links, Set<String> partners) {
      Map<String, List<Region>> mine = regions.get(id);
      List<String> details = new ArrayList<>();
      for (String path : paths) {
        List<Region> myRegions =
            mine.getOrDefault(path, List.of(new Region(1, Region.WHOLE_FILE_END, "")));
        String detail = null;
        List<String> touching = new ArrayList<>();
        for (Link link : links) {
          List<Region> theirs = regions.get(link.id()).get(path);
          if (theirs == null) {
            continue;
          }
          touching.add(link.id());
          Optional<Overlap> overlap = ChangedRegions.firstOverlap(myRegions, theirs);
          if (overlap.isPresent() && detail == null) {
            Region a = overlap.get().mine();
            Region b = overlap.get().theirs();
            partners.add(link.id());
            detail =
                path + ": its change of " + a.describe()
                    + (a.hunk().startsWith("@@") ? " (hunk " + a.hunk() + ")" : "")
                    + " overlaps the change of " + link.id() + " (" + b.describe() + ")";
          }
        }
        if (detail == null) {
          partners.addAll(touching);
          detail =
              touching.isEmpty()
                  ? path + ": cannot be merged"
                  : path + ": does not merge with the change of " + String.join(", ", touching);
        }
        details.add(detail);
      }
      String with = partners.isEmpty() ? "the combined change of " + target : String.join(", ", partners);
      return "conflicts with " + with + " — " + String.join("; ", details);
    }

    /** Asks the resolver to resolve a conflict, then tests its resolution (the test gate again). */
    private Resolution resolve(
        Outcome outcome, ObjectId ours, String conflict, Set<String> partners, List<Link> links) {
      String id = outcome.task().id();
      ConflictCheckout checkout = null;
      try {
        checkout = repo.checkoutWithConflicts(base, ours, alone.get(id), id);
        Path worktree = checkout.worktree();
        Task task = outcome.task();
        Task resolverTask =
            new Task(
                id,
                task.target(),
                task.repoPath(),
                ours.name(),
                resolverInstructions(outcome, conflict, partners, links, checkout.conflictingFiles()),
                checkout.conflictingFiles(),
                task.goal(),
                task.testCommand(),
                task.testTimeoutSeconds());
        ProcessRunner.Result run = resolver.implement(resolverTask, 0, worktree);
        if (run.timedOut()) {
          return failedResolution("timed out after " + run.durationMs() + " ms");
        }
        if (run.exitCode() != 0) {
          return failedResolution(
              "exited with code " + run.exitCode() + ": " + tail(run.outputTail()));
        }
        for (String file : checkout.conflictingFiles()) {
          if (hasConflictMarkers(worktree.resolve(file))) {
            return failedResolution("left conflict markers in " + file);
          }
        }
        String patch = Worktrees.diff(worktree, ours.name());
        if (patch.isBlank()) {
          return failedResolution("dropped the change of " + id);
        }
        ObjectId tree = repo.applyPatch(ours, patch);
        ObjectId commit = repo.commit(tree, ours, message(outcome, resolvedTrailer(partners)));
        for (Check check : resolutionChecks(outcome, partners, links)) {
          TestRun test = test(commit, check);
          if (!test.passed()) {
            return failedResolution(
                "resolved it, but the resolution fails " + check.label() + " (" + check.command()
                    + "): " + test.tail());
          }
        }
        return new Resolution(
            tree,
            "its conflict with " + String.join(", ", partners) + " was resolved by "
                + resolver.id() + " and the resolution passed the tests; its patch applies on top of "
                + "the earlier tasks of " + target,
            null);
      } catch (Exception e) {
        return failedResolution("failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      } finally {
        if (checkout != null) {
          Worktrees.delete(checkout.worktree());
        }
      }
    }

    private Resolution failedResolution(String why) {
      return new Resolution(null, null, why);
    }

    /** The resolved task's own test, the tests of the tasks it conflicted with, and the target's. */
    private List<Check> resolutionChecks(Outcome outcome, Set<String> partners, List<Link> links)
        throws IOException {
      Map<String, Check> checks = new LinkedHashMap<>();
      if (targetCheck != null && test(base, targetCheckOf()).passed()) {
        checks.put(targetCheck.command(), targetCheckOf());
      }
      checks.putIfAbsent(outcome.task().testCommand(), taskCheck(outcome));
      for (Link link : links) {
        if (partners.contains(link.id())) {
          checks.putIfAbsent(link.outcome().task().testCommand(), taskCheck(link.outcome()));
        }
      }
      return List.copyOf(checks.values());
    }

    private String resolverInstructions(
        Outcome outcome, String conflict, Set<String> partners, List<Link> links, List<String> files) {
      StringBuilder text = new StringBuilder();
      text.append("Resolve the merge conflict in ")
          .append(String.join(", ", files))
          .append(". This checkout holds the combined changes of earlier tasks; the change of task ")
          .append(outcome.task().id())
          .append(" was merged into it and ")
          .append(conflict)
          .append(".\n\nTask ")
          .append(outcome.task().id())
          .append(": ")
          .append(outcome.task().instructions().strip())
          .append('\n');
      for (Link link : links) {
        if (partners.contains(link.id())) {
          text.append("Task ")
              .append(link.id())
              .append(": ")
              .append(link.outcome().task().instructions().strip())
              .append('\n');
        }
      }
      text.append(
          "\nThe conflicting files hold git conflict markers (<<<<<<< combined, =======, >>>>>>> "
              + outcome.task().id()
              + "). Edit them so that both changes are kept, remove every marker, and change"
              + " nothing else.\n");
      return text.toString();
    }

    /** The first check that the chain's head fails, with what passes it alone. */
    private Optional<Failure> firstFailure(Chain chain) throws IOException {
      List<Check> checks =
          checksOf(chain).stream().filter(c -> !skippedChecks.contains(c.command())).toList();
      test(chain.head(), checks);
      for (Check check : checks) {
        if (skippedChecks.contains(check.command())) {
          continue;
        }
        TestRun run = test(chain.head(), check);
        if (run.passed()) {
          continue;
        }
        if (test(base, check).passed()) {
          return Optional.of(new Failure(check, null, run));
        }
        Optional<Link> owner =
            chain.links().stream()
                .filter(l -> l.outcome().task().testCommand().equals(check.command()))
                .findFirst();
        if (owner.isPresent()) {
          return Optional.of(new Failure(check, owner.get().outcome(), run));
        }
        skippedChecks.add(check.command());
        checkNotes.add(
            "skipped " + check.label() + " (" + check.command()
                + "): it fails at the base commit too, and no merged task passed it alone");
      }
      return Optional.empty();
    }

    /** The target's check, then each merged task's test command, without repeats. */
    private List<Check> checksOf(Chain chain) {
      Map<String, Check> checks = new LinkedHashMap<>();
      if (targetCheck != null) {
        checks.put(targetCheck.command(), targetCheckOf());
      }
      for (Link link : chain.links()) {
        checks.putIfAbsent(link.outcome().task().testCommand(), taskCheck(link.outcome()));
      }
      return List.copyOf(checks.values());
    }

    private Check targetCheckOf() {
      return new Check(
          targetCheck.command(),
          targetCheck.timeoutSeconds(),
          "the test command of " + target,
          "");
    }

    private Check taskCheck(Outcome outcome) {
      Task task = outcome.task();
      return new Check(
          task.testCommand(), task.testTimeoutSeconds(), "the tests of " + task.id(), task.id());
    }

    /** Finds the task to blame for a failing check, and decides its state. */
    private Outcome blame(Chain chain, Failure failure) throws IOException {
      Check check = failure.check();
      Outcome reference = failure.reference();
      List<Link> links = chain.links();
      int lo = -1;
      if (reference != null) {
        // Start from the task that passed this check on its own, then add the others in order.
        List<Outcome> order = new ArrayList<>();
        order.add(reference);
        for (Link link : chain.links()) {
          if (link.outcome() != reference) {
            order.add(link.outcome());
          }
        }
        Chain reordered = build(order, false);
        if (test(reordered.head(), check).passed()) {
          // Only this order of merging passes; blame the last task of the chain as merged.
          Link last = links.get(links.size() - 1);
          return last.outcome()
              .withState(
                  TaskState.CONFLICT,
                  "combined with " + otherIds(links, last) + " it fails " + check.label() + " ("
                      + check.command() + "): " + failure.run().tail());
        }
        links = reordered.links();
        lo = 0;
      }
      int hi = links.size() - 1;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (test(links.get(mid).commit(), check).passed()) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      Link guilty = links.get(hi);
      String guiltyId = guilty.id();
      if (hi <= lo || guilty.outcome() == reference) {
        return guilty.outcome()
            .withState(
                TaskState.REJECTED,
                "its change fails " + check.label() + " (" + check.command()
                    + ") when tested again: " + failure.run().tail());
      }
      if (reference == null) {
        TestRun byItself = test(alone.get(guiltyId), check);
        if (!byItself.passed()) {
          return guilty.outcome()
              .withState(
                  TaskState.REJECTED,
                  "its change passed its own tests but fails " + check.label() + " ("
                      + check.command() + ") when merged: " + byItself.tail());
        }
      }
      // The partner: the shortest prefix that the guilty task's change breaks.
      int pLo = -1;
      int pHi = hi - 1;
      while (pHi - pLo > 1) {
        int mid = (pLo + pHi) >>> 1;
        if (breaks(links.get(mid).commit(), guiltyId, check)) {
          pHi = mid;
        } else {
          pLo = mid;
        }
      }
      String partner = links.get(pHi).id();
      TestRun combined = test(links.get(hi).commit(), check);
      String reason =
          reference == null
              ? "passes its tests alone, but combined with " + partner + " it fails "
                  + check.label() + " (" + check.command() + "): " + combined.tail()
              : "combined with " + partner + " it breaks " + check.label() + " ("
                  + check.command() + "): " + combined.tail();
      return guilty.outcome().withState(TaskState.CONFLICT, reason);
    }

    /** Whether merging {@code taskId}'s change onto {@code commit} fails {@code check}. */
    private boolean breaks(ObjectId commit, String taskId, Check check) throws IOException {
      MergeAttempt attempt = repo.merge(base, commit, alone.get(taskId));
      if (!attempt.clean()) {
        return false;
      }
      ObjectId probe = repo.commit(attempt.tree(), commit, "probe " + taskId + "\n");
      return !test(probe, check).passed();
    }

    private String otherIds(List<Link> links, Link except) {
      return links.stream().filter(l -> l != except).map(Link::id).collect(Collectors.joining(", "));
    }

    /** Runs {@code check} on a fresh checkout of {@code commit}; results are kept per tree. */
    private TestRun test(ObjectId commit, Check check) throws IOException {
      test(commit, List.of(check));
      return testRuns.get(testKey(commit, check));
    }

    /**
     * Runs the checks not run before on {@code commit}, each in a fresh checkout of it and in the
     * sandbox the test gate uses: the code is the agents', and a check could leave anything in its
     * checkout, its {@code .git} included, for git to run later.
     */
    private void test(ObjectId commit, List<Check> checks) throws IOException {
      for (Check check : checks) {
        if (testRuns.containsKey(testKey(commit, check))) {
          continue;
        }
        Path worktree = repo.checkout(commit, target + "-check");
        try {
          ProcessRunner.Result run =
              ProcessRunner.run(
                  // The checkout borrows the objects of the merge clone, which borrows the target's.
                  sandbox.wrap(List.of("sh", "-c", check.command()), worktree, repo.dir(), Path.of(repoPath)),
                  worktree,
                  Map.of("CONVERGE_TASK_ID", check.taskId(), "CONVERGE_FILES", ""),
                  "",
                  Duration.ofSeconds(check.timeoutSeconds()));
          String tail =
              run.timedOut()
                  ? "timed out after " + check.timeoutSeconds() + " s"
                  : "exit " + run.exitCode() + ": " + tail(run.outputTail());
          testRuns.put(testKey(commit, check), new TestRun(run.succeeded(), tail));
        } finally {
          Worktrees.delete(worktree);
        }
      }
    }

    private String testKey(ObjectId commit, Check check) throws IOException {
      return repo.treeOf(commit).name() + "\u0000" + check.command();
    }

    private String resolvedTrailer(Set<String> partners) {
      return "\nConverge-Resolved-By: " + resolver.id()
          + "\nConverge-Resolved-Conflict-With: " + String.join(", ", partners);
    }
  }

  /** The commit message of a task: the same words as its patch file. */
  static String message(Outcome outcome, String trailer) {
    String instructions = outcome.task().instructions().strip();
    String subject = instructions.lines().findFirst().orElse("").strip();
    String winners =
        outcome.votes().stream()
            .filter(VoteCluster::winner)
            .flatMap(v -> v.members().stream())
            .collect(Collectors.joining(", "));
    return outcome.task().id() + ": " + subject + "\n\n" + instructions + "\n\nConverge-Task: "
        + outcome.task().id() + "\nConverge-Agreed: " + winners + trailer + "\n";
  }

  private static boolean hasConflictMarkers(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("<<<<<<< ") || line.startsWith(">>>>>>> ") || line.equals("=======")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The last part of a test's output on one line, for reasons. Durations such as {@code 0.003s}
   * are masked, so that two runs give the same reasons.
   */
  static String tail(String output) {
    String oneLine =
        output
            .replaceAll("\\b\\d+\\.\\d+ ?(s|ms|sec|seconds)\\b", "?$1")
            .replaceAll("\\s+", " ")
            .strip();
    return Texts.tail(oneLine, REASON_TAIL_CHARS);
  }

  private static String shortId(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
