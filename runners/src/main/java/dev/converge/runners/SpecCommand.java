package dev.converge.runners;

import dev.converge.pipelines.specdriven.SpecInit;
import dev.converge.transforms.model.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code converge spec ...}: spec-driven development, from an intent to a spec. */
@Command(
    name = "spec",
    mixinStandardHelpOptions = true,
    description = "Spec-driven development: turn an intent into documents and a Converge spec.",
    subcommands = {SpecCommand.Init.class})
final class SpecCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  /** The example planner that works offline on the demo's textkit repository. */
  static final String DEFAULT_PLANNER = "specs/examples/spec-driven/agents/planner.py";

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  /** {@code converge spec init "INTENT" --target REPO}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a planner agent on the target to turn INTENT into requirements.md,",
        "functional-spec.md, technical-spec.md and converge.yaml (whose `context` names the",
        "three documents, so every agent gets them), then checks the spec and its plan.",
        "The default planner is the offline example planner for the demo's textkit repository."
      })
  static final class Init implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INTENT", description = "What you want, in words.")
    String intent;

    @Option(names = "--target", required = true, paramLabel = "REPO", description = "The git repository to change.")
    Path target;

    @Option(
        names = "--planner",
        arity = "1..*",
        paramLabel = "COMMAND",
        description = {
          "The planner agent's command line (default: python3 " + DEFAULT_PLANNER + ").",
          "One quoted string is split at spaces; or give the words one by one, last on the line."
        })
    List<String> planner;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "spec", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Kill the planner after this (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--force", description = "Overwrite documents and spec already in the output folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout must be at least 1 second");
      }
      SpecInit.Result result =
          SpecInit.run(intent, target, plannerArgv(planner), out, Duration.ofSeconds(timeoutSeconds), force);
      if (!result.plannerOutput().isBlank()) {
        System.out.println(result.plannerOutput().strip());
      }
      Path dir = result.specFile().getParent();
      System.out.println();
      System.out.println("converge spec init: wrote to " + dir);
      for (String name : SpecInit.DOCUMENTS) {
        System.out.println("  " + name);
      }
      System.out.println("  " + SpecInit.SPEC_FILE + "  (" + result.job().tasks().size() + " tasks x "
          + result.job().agents().size() + " agents x " + result.job().samples() + " samples)");
      for (Task task : result.job().tasks()) {
        System.out.println("    " + task.id() + "  " + task.files());
      }
      System.out.println();
      System.out.println("next: review the documents and the spec, then");
      System.out.println("  converge plan " + result.specFile() + " --out " + dir.resolve("plan.json"));
      System.out.println("  converge run " + result.specFile() + " --plan " + dir.resolve("plan.json"));
      return Converge.EXIT_OK;
    }

    static List<String> plannerArgv(List<String> given) {
      if (given == null || given.isEmpty()) {
        return List.of("python3", ConvergeHome.resolve(DEFAULT_PLANNER).toString());
      }
      if (given.size() == 1 && given.get(0).strip().contains(" ")) {
        return List.of(given.get(0).strip().split("\\s+"));
      }
      return new ArrayList<>(given);
    }
  }
}
