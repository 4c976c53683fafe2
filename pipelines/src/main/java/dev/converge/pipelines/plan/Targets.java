package dev.converge.pipelines.plan;

import dev.converge.pipelines.spec.TargetSpec;
import dev.converge.transforms.report.OutputFiles;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Resolves the spec's targets, read-only: local folders with JGit, git URLs cloned with JGit into
 * Converge's clone folder (the git CLI for ssh URLs, whose transport JGit's core lacks), list files
 * and globs of folders expanded into one target per repository.
 */
public final class Targets {
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:.*");
  private static final Duration CLI_CLONE_TIMEOUT = Duration.ofMinutes(30);

  private Targets() {}

  /** The id of a single-repository target: its {@code id}, or else the last part of its path or URL. */
  public static String idOf(TargetSpec spec) {
    if (spec.id() != null && !spec.id().isBlank()) {
      return spec.id();
    }
    return nameOf(spec.path() != null ? spec.path() : spec.url());
  }

  /**
   * Resolves every target of a spec, in order; {@code list} and {@code glob} targets give one
   * target per repository. Target ids must be unique over all of them.
   *
   * @param cloneDir where URL targets are cloned (made when needed; existing clones are fetched)
   */
  public static List<Target> resolveAll(List<TargetSpec> specs, Path specDir, Path cloneDir)
      throws PlanException {
    List<Target> targets = new ArrayList<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      String field = "targets[" + i + "]";
      for (Target target : resolve(specs.get(i), i, specDir, cloneDir)) {
        String first = origins.putIfAbsent(target.id(), field + " (" + target.repo() + ")");
        if (first != null) {
          throw new PlanException(
              field + ": two repositories are named '" + target.id() + "': " + first + " and "
                  + target.repo() + "; give one of them another id");
        }
        targets.add(target);
      }
    }
    return targets;
  }

  /** Resolves one target of the spec; {@code index} names it in error messages. */
  public static List<Target> resolve(TargetSpec spec, int index, Path specDir, Path cloneDir)
      throws PlanException {
    String field = "targets[" + index + "]";
    String ref = spec.ref() == null || spec.ref().isBlank() ? "HEAD" : spec.ref();
    if (spec.path() != null) {
      Path repoDir = specDir.resolve(spec.path()).toAbsolutePath().normalize();
      return List.of(local(field + ".path", idOf(spec), repoDir, ref, field + ".ref", spec));
    }
    if (spec.url() != null) {
      return List.of(remote(field + ".url", idOf(spec), spec.url(), ref, field + ".ref", spec, cloneDir));
    }
    if (spec.list() != null) {
      if (isRemoteFile(spec.list())) {
        // gs://bucket/repos.txt and the like, read through Beam's file systems.
        return fromList(field + ".list", spec.list(), readRemote(field + ".list", spec.list()), null, ref, spec, cloneDir);
      }
      Path listFile = specDir.resolve(spec.list()).normalize();
      return fromList(field + ".list", listFile.toString(), readLocal(field + ".list", listFile), listFile.getParent(), ref, spec, cloneDir);
    }
    if (spec.glob() != null) {
      return fromGlob(field + ".glob", spec.glob(), specDir, ref, spec);
    }
    throw new PlanException(field + ": needs one of path, url, list or glob");
  }

  /** A local repository, resolved in place. */
  private static Target local(
      String field, String id, Path repoDir, String ref, String refField, TargetSpec spec)
      throws PlanException {
    if (!Files.isDirectory(repoDir)) {
      throw new PlanException(field + ": folder " + repoDir + " does not exist");
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setWorkTree(repoDir.toFile());
    builder.setMustExist(true);
    try (Repository repository = builder.readEnvironment().findGitDir(repoDir.toFile()).build()) {
      if (repository.getWorkTree() == null
          || !repository.getWorkTree().toPath().toAbsolutePath().normalize().equals(repoDir)) {
        throw new PlanException(
            field + ": " + repoDir + " is not the top folder of a git repository");
      }
      return target(repository, id, repoDir, ref, refField, spec, true);
    } catch (IOException | IllegalArgumentException e) {
      throw new PlanException(
          field + ": " + repoDir + " is not a readable git repository (" + e.getMessage() + ")", e);
    }
  }

  /** A repository behind a URL, cloned (bare) into {@code cloneDir} or fetched when cloned before. */
  private static Target remote(
      String field,
      String id,
      String url,
      String ref,
      String refField,
      TargetSpec spec,
      Path cloneDir)
      throws PlanException {
    Path clone = cloneDir.resolve(id + "-" + hash(url) + ".git").toAbsolutePath().normalize();
    try {
      Files.createDirectories(cloneDir);
      if (Files.isRegularFile(clone.resolve("HEAD"))) {
        fetch(url, clone);
      } else {
        Path partial = Files.createTempDirectory(cloneDir, id + "-clone-");
        try {
          cloneBare(url, partial);
          Files.move(partial, clone, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Worktrees.delete(partial);
        }
      }
    } catch (IOException | GitAPIException | RuntimeException e) {
      throw new PlanException(field + ": cannot clone " + url + ": " + e.getMessage(), e);
    }
    try (Repository repository =
        new FileRepositoryBuilder().setGitDir(clone.toFile()).setMustExist(true).build()) {
      return target(repository, id, clone, ref, refField, spec, false);
    } catch (IOException e) {
      throw new PlanException(field + ": the clone of " + url + " is not readable: " + e.getMessage(), e);
    }
  }

  private static void cloneBare(String url, Path dir) throws IOException, GitAPIException {
    if (needsCli(url)) {
      cli(dir.getParent(), "clone", "--quiet", "--bare", url, dir.toString());
      return;
    }
    try (Git git =
        Git.cloneRepository().setURI(url).setBare(true).setDirectory(dir.toFile()).call()) {
      // Cloned; the Git object only needs closing.
    }
  }

  private static void fetch(String url, Path clone) throws IOException, GitAPIException {
    List<String> refSpecs = List.of("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
    if (needsCli(url)) {
      List<String> args = new ArrayList<>(List.of("fetch", "--quiet", "--prune", url));
      args.addAll(refSpecs);
      cli(clone, args.toArray(String[]::new));
      return;
    }
    try (Git git = Git.open(clone.toFile())) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(refSpecs.stream().map(RefSpec::new).toList())
          .setRemoveDeletedRefs(true)
          .call();
    }
  }

  /** JGit's core has no ssh transport; those URLs are cloned with the git CLI. */
  private static boolean needsCli(String url) {
    return url.startsWith("ssh://") || url.startsWith("git+ssh://") || SCP_LIKE.matcher(url).matches();
  }

  private static void cli(Path dir, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    ProcessRunner.Result result =
        ProcessRunner.run(argv, dir, Map.of("GIT_TERMINAL_PROMPT", "0"), "", CLI_CLONE_TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException("git " + args[0] + " failed: " + result.outputTail().strip());
    }
  }

  /** One target per line of a list file: a folder (relative to the file) or a URL, and a ref. */
  private static List<String> readLocal(String field, Path listFile) throws PlanException {
    try {
      return Files.readAllLines(listFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PlanException(field + ": cannot read " + listFile + " (" + e.getMessage() + ")", e);
    }
  }

  /** A list file behind a URI such as gs://bucket/repos.txt: not a local path, not a git URL. */
  private static boolean isRemoteFile(String list) {
    return list.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*") && !list.startsWith("file://");
  }

  private static List<String> readRemote(String field, String uri) throws PlanException {
    try {
      return OutputFiles.read(uri).lines().toList();
    } catch (IOException | RuntimeException e) {
      throw new PlanException(field + ": cannot read " + uri + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * @param listName the list's path or URI, for messages
   * @param baseDir the folder relative entries are resolved in; null for a remote list, whose
   *     entries must be absolute folders or URLs
   */
  private static List<Target> fromList(
      String field,
      String listName,
      List<String> lines,
      Path baseDir,
      String defaultRef,
      TargetSpec spec,
      Path cloneDir)
      throws PlanException {
    String listFile = listName.substring(listName.lastIndexOf('/') + 1);
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("(^|\\s)#.*$", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = field + " (" + listFile + " line " + (i + 1) + ")";
      String[] words = line.split("\\s+");
      if (words.length > 2) {
        throw new PlanException(where + ": expected a folder or URL and an optional ref, got '" + line + "'");
      }
      String entry = words[0];
      String ref = words.length == 2 ? words[1] : defaultRef;
      String id = nameOf(entry);
      if (isUrl(entry)) {
        targets.add(remote(where, id, entry, ref, where, spec, cloneDir));
      } else if (baseDir == null && !Path.of(entry).isAbsolute()) {
        throw new PlanException(
            where + ": '" + entry + "' is relative, but " + listName
                + " is not on this machine; name the repository by an absolute folder or a URL");
      } else {
        Path repoDir =
            (baseDir == null ? Path.of(entry) : baseDir.resolve(entry)).toAbsolutePath().normalize();
        targets.add(local(where, id, repoDir, ref, where, spec));
      }
    }
    if (targets.isEmpty()) {
      throw new PlanException(field + ": " + listName + " lists no repository");
    }
    return targets;
  }

  private static boolean isUrl(String entry) {
    return entry.contains("://") || SCP_LIKE.matcher(entry).matches();
  }

  /** One target per folder matching the glob that is the top of a git repository, sorted by path. */
  private static List<Target> fromGlob(
      String field, String glob, Path specDir, String ref, TargetSpec spec) throws PlanException {
    String pattern = glob.replace('\\', '/').replaceAll("/+$", "");
    if (pattern.startsWith("./")) {
      pattern = pattern.substring(2);
    }
    boolean absolute = pattern.startsWith("/");
    Path base = absolute ? Path.of("/") : specDir.toAbsolutePath().normalize();
    String relativePattern = absolute ? pattern.substring(1) : pattern;
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + relativePattern);
    } catch (IllegalArgumentException e) {
      throw new PlanException(field + ": not a valid glob: " + e.getMessage(), e);
    }
    // Walk only below the glob's fixed prefix, and no deeper than it can match.
    String[] segments = relativePattern.split("/");
    int fixed = 0;
    while (fixed < segments.length - 1 && !segments[fixed].matches(".*[*?\\[{].*")) {
      fixed++;
    }
    Path root = base.resolve(String.join("/", List.of(segments).subList(0, fixed)));
    int depth = relativePattern.contains("**") ? Integer.MAX_VALUE : segments.length - fixed;
    List<Path> repos = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> found = Files.walk(root, depth)) {
        found
            .filter(Files::isDirectory)
            .filter(dir -> !dir.getFileName().toString().equals(".git"))
            .filter(dir -> matches(matcher, base, dir))
            .filter(dir -> Files.exists(dir.resolve(".git")))
            .sorted()
            .forEach(repos::add);
      } catch (IOException | InvalidPathException e) {
        throw new PlanException(field + ": cannot list " + root + " (" + e.getMessage() + ")", e);
      }
    }
    if (repos.isEmpty()) {
      throw new PlanException(field + ": no git repository matches '" + glob + "' under " + base);
    }
    List<Target> targets = new ArrayList<>();
    for (Path repo : repos) {
      targets.add(local(field + " (" + repo + ")", nameOf(repo.toString()), repo.normalize(), ref, field, spec));
    }
    return targets;
  }

  private static boolean matches(PathMatcher matcher, Path base, Path dir) {
    Path relative = base.relativize(dir);
    return !relative.toString().isEmpty() && matcher.matches(relative);
  }

  private static Target target(
      Repository repository,
      String id,
      Path repo,
      String ref,
      String refField,
      TargetSpec spec,
      boolean local)
      throws IOException, PlanException {
    ObjectId commitId = repository.resolve(ref + "^{commit}");
    if (commitId == null) {
      throw new PlanException(refField + ": '" + ref + "' is not a commit in " + repo);
    }
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(commitId);
      List<String> files = listFiles(repository, commit);
      if (!spec.paths().isEmpty()) {
        List<PathMatcher> matchers =
            spec.paths().stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        files = files.stream().filter(f -> matchers.stream().anyMatch(m -> m.matches(Path.of(f)))).toList();
      }
      return new Target(id, repo, commit.getName(), files, spec.test(), local);
    }
  }

  private static List<String> listFiles(Repository repository, RevCommit commit) throws IOException {
    List<String> files = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        files.add(walk.getPathString());
      }
    }
    files.sort(null);
    return files;
  }

  /** A valid target id from the last part of a path or URL (without {@code .git}). */
  static String nameOf(String pathOrUrl) {
    String trimmed = pathOrUrl.strip().replace('\\', '/').replaceAll("/+$", "");
    if (trimmed.endsWith(".git")) {
      trimmed = trimmed.substring(0, trimmed.length() - 4);
    }
    String name = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      Path normalized = Path.of(trimmed.isEmpty() ? "." : trimmed).toAbsolutePath().normalize();
      name = normalized.getFileName() == null ? "repo" : normalized.getFileName().toString();
    }
    String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-");
    return VALID_ID.matcher(cleaned).matches() ? cleaned : "repo-" + cleaned;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
