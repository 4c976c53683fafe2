package dev.converge.pipelines.specdriven;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.SpecException;
import dev.converge.pipelines.spec.SpecParser;
import dev.converge.transforms.workspace.ProcessRunner;
import dev.converge.transforms.workspace.Worktrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code converge spec init}: from an intent to the documents and the Converge spec of a job.
 *
 * <p>The planner is a command agent. It runs in a private checkout of the target's HEAD (what it
 * changes there is thrown away) with the intent on standard input and in {@code CONVERGE_INTENT},
 * and these variables: {@code CONVERGE_TARGET} (the target repository, absolute), {@code
 * CONVERGE_TARGET_PATH} (the same, relative to the output folder, as the spec should name it),
 * {@code CONVERGE_BASE_COMMIT}, {@code CONVERGE_SPEC_DIR} (the output folder, absolute) and {@code
 * CONVERGE_WORKTREE}. It must write into {@code CONVERGE_SPEC_DIR} the three documents {@link
 * #DOCUMENTS} and the spec {@value #SPEC_FILE}, whose {@code context} lists the three documents.
 * Converge then checks the spec and its plan like {@code converge validate}.
 */
public final class SpecInit {
  public static final List<String> DOCUMENTS =
      List.of("requirements.md", "functional-spec.md", "technical-spec.md");
  public static final String SPEC_FILE = "converge.yaml";

  /**
   * What {@code spec init} made.
   *
   * @param specFile the generated spec
   * @param job the spec compiled (targets resolved, tasks planned)
   * @param plannerOutput the tail of what the planner printed
   */
  public record Result(Path specFile, ChangeJob job, String plannerOutput) {}

  private SpecInit() {}

  public static Result run(
      String intent, Path target, List<String> planner, Path outDir, Duration timeout, boolean force)
      throws PlanException, SpecException, IOException {
    if (intent == null || intent.isBlank()) {
      throw new PlanException("spec init: the intent must not be empty");
    }
    if (planner.isEmpty()) {
      throw new PlanException("spec init: --planner needs a command");
    }
    Path repo = target.toAbsolutePath().normalize();
    if (!Files.isDirectory(repo)) {
      throw new PlanException("spec init: --target " + target + ": not a folder");
    }
    Path out = outDir.toAbsolutePath().normalize();
    List<String> outputs = new ArrayList<>(DOCUMENTS);
    outputs.add(SPEC_FILE);
    if (!force) {
      for (String name : outputs) {
        if (Files.exists(out.resolve(name))) {
          throw new PlanException(
              "spec init: " + out.resolve(name) + " exists already; choose another --out or add --force");
        }
      }
    }
    Files.createDirectories(out);
    String commit = headCommit(repo);
    Path scratch = Files.createTempDirectory("converge-spec-init-");
    Path checkout = null;
    ProcessRunner.Result result;
    try {
      checkout = Worktrees.checkout(repo.toString(), commit, scratch, "planner");
      Map<String, String> env = new HashMap<>();
      env.put("CONVERGE_INTENT", intent);
      env.put("CONVERGE_TARGET", repo.toString());
      env.put("CONVERGE_TARGET_PATH", relative(out, repo));
      env.put("CONVERGE_BASE_COMMIT", commit);
      env.put("CONVERGE_SPEC_DIR", out.toString());
      env.put("CONVERGE_WORKTREE", checkout.toString());
      result = ProcessRunner.run(planner, checkout, env, intent, timeout);
    } finally {
      Worktrees.delete(scratch);
    }
    if (result.timedOut()) {
      throw new PlanException("spec init: the planner timed out after " + result.durationMs() + " ms");
    }
    if (result.exitCode() != 0) {
      throw new PlanException(
          "spec init: the planner exited with code " + result.exitCode() + ":\n" + result.outputTail().strip());
    }
    for (String name : outputs) {
      Path file = out.resolve(name);
      if (!Files.isRegularFile(file) || Files.size(file) == 0) {
        throw new PlanException("spec init: the planner did not write " + file);
      }
    }
    Path specFile = out.resolve(SPEC_FILE);
    Spec spec = SpecParser.parse(specFile);
    List<String> missing = DOCUMENTS.stream().filter(d -> !spec.context().contains(d)).toList();
    if (!missing.isEmpty()) {
      throw new PlanException(
          "spec init: " + specFile + " must list " + missing + " in 'context', so every agent gets them");
    }
    ChangeJob job = ChangeJob.compile(spec, specFile);
    return new Result(specFile, job, result.outputTail());
  }

  private static String headCommit(Path repo) throws IOException, PlanException {
    ProcessRunner.Result rev =
        ProcessRunner.run(
            List.of("git", "-C", repo.toString(), "rev-parse", "--verify", "HEAD^{commit}"),
            repo,
            Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null"),
            "",
            Duration.ofMinutes(1));
    if (!rev.succeeded()) {
      throw new PlanException(
          "spec init: --target " + repo + " is not a git repository with a commit: " + rev.outputTail().strip());
    }
    return rev.outputTail().strip();
  }

  private static String relative(Path from, Path to) {
    try {
      String rel = from.relativize(to).toString();
      return rel.isEmpty() ? "." : rel;
    } catch (IllegalArgumentException e) {
      return to.toString();
    }
  }
}
