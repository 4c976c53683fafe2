package dev.converge.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small multi-repository job made on the fly: {@code repos} git repositories, a {@code
 * repos.txt} list naming them by absolute path, and a spec whose target is that list. Its agents are
 * simulated (labelled, deterministic, with a latency) and some of them answer wrongly, so the job
 * ends with merged and rejected tasks; the test command accepts only correct answers.
 */
final class MultiRepoFixture {
  /** Passes when every file the simulated agents wrote says {@code correct}. */
  static final String TEST_COMMAND = "! grep -rqv '^correct$' .converge-simulated";

  final Path root;
  final Path spec;
  final Path list;
  final List<Path> repos;
  final int tasksPerRepo;

  private MultiRepoFixture(Path root, Path spec, Path list, List<Path> repos, int tasksPerRepo) {
    this.root = root;
    this.spec = spec;
    this.list = list;
    this.repos = List.copyOf(repos);
    this.tasksPerRepo = tasksPerRepo;
  }

  int taskCount() {
    return repos.size() * tasksPerRepo;
  }

  /**
   * Writes the repositories, the list and the spec under {@code root}.
   *
   * @param latencyMs each simulated agent call takes this long
   * @param tasksPerRepo tasks of the plan; each runs on every repository
   */
  static MultiRepoFixture create(Path root, int repoCount, int tasksPerRepo, long latencyMs)
      throws Exception {
    List<Path> repos = new ArrayList<>();
    StringBuilder listText = new StringBuilder("# one repository per line\n");
    for (int i = 1; i <= repoCount; i++) {
      Path repo = root.resolve("repos").resolve(String.format("service-%02d", i));
      Files.createDirectories(repo.resolve("src"));
      Files.writeString(repo.resolve("README.md"), "service " + i + "\n", StandardCharsets.UTF_8);
      Files.writeString(
          repo.resolve("src/app.py"), "def answer():\n    return " + i + "\n", StandardCharsets.UTF_8);
      git(repo, "init", "--quiet", "--initial-branch=main");
      git(repo, "add", "--all");
      git(repo, "commit", "--quiet", "-m", "initial import");
      repos.add(repo);
      listText.append(repo.toAbsolutePath()).append('\n');
    }
    Path list = root.resolve("repos.txt");
    Files.writeString(list, listText.toString(), StandardCharsets.UTF_8);
    Path spec = root.resolve("multi.yaml");
    Files.writeString(spec, specText(tasksPerRepo, latencyMs), StandardCharsets.UTF_8);
    return new MultiRepoFixture(root, spec, list, repos, tasksPerRepo);
  }

  static String specText(int tasksPerRepo, long latencyMs) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("name: multi-repo-check\n");
    yaml.append("kind: change\n");
    yaml.append("goal: Exercise many repositories with simulated agents\n");
    yaml.append("targets:\n");
    yaml.append("  - list: repos.txt\n");
    yaml.append("plan:\n");
    yaml.append("  tasks:\n");
    for (int t = 1; t <= tasksPerRepo; t++) {
      yaml.append("    - id: task-").append(t).append('\n');
      yaml.append("      instructions: Simulated change number ").append(t).append('\n');
    }
    yaml.append("agents:\n");
    for (int a = 1; a <= 3; a++) {
      yaml.append("  - id: sim-").append(a).append('\n');
      yaml.append("    type: simulated\n");
      yaml.append("    seed: ").append(a * 7919).append('\n');
      yaml.append("    latencyMs: ").append(latencyMs).append('\n');
      yaml.append("    wrongRate: 0.35\n");
    }
    yaml.append("test:\n");
    yaml.append("  command: \"").append(TEST_COMMAND).append("\"\n");
    yaml.append("  timeoutSeconds: 60\n");
    return yaml.toString();
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "git",
                "-c", "user.name=Converge Test",
                "-c", "user.email=test@converge.invalid",
                "-c", "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z");
    builder.environment().put("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ": " + output);
    }
  }
}
