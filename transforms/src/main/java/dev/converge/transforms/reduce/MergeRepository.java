package dev.converge.transforms.reduce;

import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A private bare clone of a target repository ({@code git clone --bare --shared}) in which the
 * accepted changes of its tasks are turned into commits and merged.
 *
 * <p>Patches are applied with {@code git apply --cached} on a temporary index (the same program the
 * test gate uses, so a patch that passed the gate applies here too); merges are real 3-way merges
 * done in memory by JGit's {@link ResolveMerger}, with the tasks' common base commit as the merge
 * base. Commits get a fixed author, committer and date, so the same changes always give the same
 * commit ids. Nothing is written to the user's repository, except by {@link #publishBranch}.
 */
final class MergeRepository implements AutoCloseable {
  static final PersonIdent IDENTITY =
      new PersonIdent("Converge", "converge@localhost", Instant.EPOCH, ZoneOffset.UTC);

  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

  /** Patches applied at once by {@link #applyPatches}. */
  private static final int APPLY_THREADS = 4;
  private static final Map<String, String> GIT_ENV =
      Map.of(
          "GIT_CONFIG_NOSYSTEM", "1",
          "GIT_CONFIG_GLOBAL", "/dev/null",
          "GIT_TERMINAL_PROMPT", "0");

  private final Path dir;
  private final Path workDir;
  private final Repository repository;

  /** The result of merging one change into another. */
  record MergeAttempt(ObjectId tree, List<String> conflictingPaths) {
    boolean clean() {
      return tree != null;
    }
  }

  private MergeRepository(Path dir, Path workDir, Repository repository) {
    this.dir = dir;
    this.workDir = workDir;
    this.repository = repository;
  }

  /** Makes a bare clone of {@code repo} that shares its objects, in a new folder under {@code workDir}. */
  static MergeRepository cloneOf(String repo, Path workDir, String label) throws IOException {
    Files.createDirectories(workDir);
    Path dir = Files.createTempDirectory(workDir, safeName(label) + "-merge-");
    try {
      git(workDir, Map.of(), "clone", "--quiet", "--bare", "--shared", repo, dir.toString());
      Repository repository =
          new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
      return new MergeRepository(dir, workDir, repository);
    } catch (IOException | RuntimeException e) {
      Worktrees.delete(dir);
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  /** The tree of {@code commit} with {@code patch} applied; an IOException says why it did not apply. */
  ObjectId applyPatch(ObjectId commit, String patch) throws IOException {
    Applied applied = applyPatches(commit, List.of(patch)).get(0);
    if (applied.error() != null) {
      throw applied.error();
    }
    return applied.tree();
  }

  /** A patch applied to a commit: its tree, or why it did not apply. */
  record Applied(ObjectId tree, IOException error) {}

  /**
   * Each of {@code patches} applied on its own to {@code commit}, in order. The commit is read into
   * an index once and each patch is applied to a copy of it; the patches are applied concurrently
   * (each {@code git apply} is a process that mostly waits), which matters when a repository has
   * many tasks.
   */
  List<Applied> applyPatches(ObjectId commit, List<String> patches) throws IOException {
    Path base = Files.createTempFile(workDir, "index-", ".tmp");
    ExecutorService appliers = Executors.newFixedThreadPool(Math.max(1, Math.min(patches.size(), APPLY_THREADS)));
    try {
      Files.delete(base);
      git(dir, Map.of("GIT_INDEX_FILE", base.toString()), "read-tree", commit.name());
      List<Future<ObjectId>> trees = new ArrayList<>();
      for (String patch : patches) {
        trees.add(appliers.submit(() -> applyToCopy(base, patch)));
      }
      List<Applied> applied = new ArrayList<>();
      for (Future<ObjectId> tree : trees) {
        applied.add(resultOf(tree));
      }
      return applied;
    } finally {
      appliers.shutdownNow();
      Files.deleteIfExists(base);
    }
  }

  private static Applied resultOf(Future<ObjectId> tree) throws IOException {
    try {
      return new Applied(tree.get(), null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        return new Applied(null, io);
      }
      throw new IOException("applying a patch failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while applying patches", e);
    }
  }

  /** {@code patch} applied with {@code git apply --cached} to a private copy of the index {@code base}. */
  private ObjectId applyToCopy(Path base, String patch) throws IOException {
    Path index = Files.createTempFile(workDir, "index-", ".tmp");
    Path patchFile = Files.createTempFile(workDir, "patch-", ".patch");
    try {
      Files.copy(base, index, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(patchFile, patch, StandardCharsets.UTF_8);
      Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
      git(dir, env, "apply", "--cached", "--whitespace=nowarn", patchFile.toString());
      return ObjectId.fromString(lastLine(git(dir, env, "write-tree")));
    } finally {
      Files.deleteIfExists(index);
      Files.deleteIfExists(patchFile);
    }
  }

  /** A 3-way merge of {@code theirs} into {@code ours} with {@code base} as the merge base. */
  MergeAttempt merge(ObjectId base, ObjectId ours, ObjectId theirs) throws IOException {
    ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(repository, true);
    merger.setBase(base);
    if (merger.merge(ours, theirs)) {
      return new MergeAttempt(merger.getResultTreeId(), List.of());
    }
    List<String> paths = new ArrayList<>(merger.getUnmergedPaths());
    if (merger.getFailingPaths() != null) {
      merger.getFailingPaths().keySet().stream().filter(p -> !paths.contains(p)).forEach(paths::add);
    }
    paths.sort(null);
    return new MergeAttempt(null, List.copyOf(paths));
  }

  /** A commit of {@code tree} on top of {@code parent}, with Converge's fixed identity and date. */
  ObjectId commit(ObjectId tree, ObjectId parent, String message) throws IOException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    commit.setParentId(parent);
    commit.setAuthor(IDENTITY);
    commit.setCommitter(IDENTITY);
    commit.setMessage(message);
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  ObjectId treeOf(ObjectId commit) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(commit).getTree().getId();
    }
  }

  /** A checkout of {@code commit} in a new folder; the caller deletes it with {@link Worktrees#delete}. */
  Path checkout(ObjectId commit, String label) throws IOException {
    return Worktrees.checkoutBorrowing(dir.toString(), commit.name(), workDir, label);
  }

  /** A checkout of a merge that stopped on conflicts, as git leaves it for a person to resolve. */
  record ConflictCheckout(Path worktree, List<String> conflictingFiles) {}

  /**
   * A checkout of {@code ours} with {@code theirs} merged into its working tree: the changes that
   * merge are applied and each conflicting file holds git's conflict markers, labelled {@code
   * combined} and {@code theirsLabel}. The caller deletes the folder with {@link Worktrees#delete}.
   */
  ConflictCheckout checkoutWithConflicts(
      ObjectId base, ObjectId ours, ObjectId theirs, String theirsLabel) throws IOException {
    Path worktree = checkout(ours, theirsLabel + "-resolve");
    try (Git git = Git.open(worktree.toFile())) {
      ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(git.getRepository());
      merger.setCommitNames(new String[] {"base", "combined", theirsLabel});
      merger.setBase(base);
      merger.merge(ours, theirs);
      List<String> files = new ArrayList<>(merger.getUnmergedPaths());
      files.sort(null);
      return new ConflictCheckout(worktree, List.copyOf(files));
    } catch (IOException | RuntimeException e) {
      Worktrees.delete(worktree);
      throw e;
    }
  }

  /** The change from {@code from} to {@code to} as a unified diff that {@code git apply} takes. */
  String diff(ObjectId from, ObjectId to) throws IOException {
    Path out = Files.createTempFile(workDir, "diff-", ".patch");
    try {
      git(
          dir,
          Map.of(),
          "diff",
          "--binary",
          "--no-color",
          "--no-ext-diff",
          "--src-prefix=a/",
          "--dst-prefix=b/",
          "--output=" + out,
          from.name(),
          to.name());
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The commits after {@code base} up to {@code head} as one mbox, for {@code git am}. */
  String formatPatches(ObjectId base, ObjectId head) throws IOException {
    Path out = Files.createTempDirectory(workDir, "format-patch-");
    try {
      git(
          dir,
          Map.of(),
          "format-patch",
          "--quiet",
          "--no-signature",
          "--binary",
          "--no-color",
          "--src-prefix=a/",
          "--dst-prefix=b/",
          "--output-directory=" + out,
          base.name() + ".." + head.name());
      List<Path> mails;
      try (var files = Files.list(out)) {
        mails = files.sorted().toList();
      }
      StringBuilder mbox = new StringBuilder();
      for (Path mail : mails) {
        mbox.append(Files.readString(mail, StandardCharsets.UTF_8));
      }
      return mbox.toString();
    } finally {
      Worktrees.delete(out);
    }
  }

  /**
   * Creates (or moves, when it holds an earlier result of Converge) branch {@code name} at {@code
   * head} in the user's repository {@code userRepo}: copies the new objects and writes the branch
   * ref, nothing else. The working tree, the index and HEAD are not touched. {@link Branches} says
   * which branches may be written.
   *
   * @return what was done, in words
   */
  String publishBranch(String userRepo, ObjectId base, ObjectId head, String name)
      throws IOException {
    try (Git git = Git.open(Path.of(userRepo).toFile())) {
      Repository user = git.getRepository();
      Optional<String> problem = Branches.problem(user, name);
      if (problem.isPresent()) {
        throw new IOException(problem.get());
      }
      ObjectId old = Branches.current(user, name);
      if (head.equals(old)) {
        return "branch " + name + " of " + userRepo + " is already at " + head.name();
      }
      copyObjects(user, base, head);
      RefUpdate update = user.updateRef(Constants.R_HEADS + name);
      update.setNewObjectId(head);
      update.setExpectedOldObjectId(old == null ? ObjectId.zeroId() : old);
      update.setForceUpdate(true);
      update.setRefLogMessage("converge: merged tasks", false);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
          && result != RefUpdate.Result.FAST_FORWARD) {
        throw new IOException("could not write branch " + name + " in " + userRepo + ": " + result);
      }
      return (old == null ? "created" : "updated") + " branch " + name + " of " + userRepo + " at "
          + head.name();
    }
  }

  /** Copies every object reachable from {@code head} but not from {@code base} that {@code user} lacks. */
  private void copyObjects(Repository user, ObjectId base, ObjectId head) throws IOException {
    try (ObjectWalk walk = new ObjectWalk(repository);
        ObjectInserter inserter = user.newObjectInserter()) {
      walk.markStart(walk.parseCommit(head));
      walk.markUninteresting(walk.parseCommit(base));
      List<RevObject> objects = new ArrayList<>();
      for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
        objects.add(commit);
      }
      for (RevObject object = walk.nextObject(); object != null; object = walk.nextObject()) {
        objects.add(object);
      }
      for (RevObject object : objects) {
        if (user.getObjectDatabase().has(object)) {
          continue;
        }
        ObjectLoader loader = repository.open(object);
        try (InputStream in = loader.openStream()) {
          inserter.insert(loader.getType(), loader.getSize(), in);
        }
      }
      inserter.flush();
    }
  }

  @Override
  public void close() {
    repository.close();
    Worktrees.delete(dir);
  }

  private static String git(Path cwd, Map<String, String> extraEnv, String... args)
      throws IOException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "core.hooksPath=/dev/null"));
    argv.addAll(List.of(args));
    Map<String, String> env = new HashMap<>(GIT_ENV);
    env.putAll(extraEnv);
    ProcessRunner.Result result = ProcessRunner.runTool(argv, cwd, env, GIT_TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException(
          "git " + args[0] + " failed: " + result.outputTail().strip());
    }
    return result.outputTail();
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private static String safeName(String label) {
    String cleaned = label.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
  }
}
