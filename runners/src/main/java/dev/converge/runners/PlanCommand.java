package dev.converge.runners;

import dev.converge.pipelines.change.ChangeJob;
import dev.converge.pipelines.specdriven.PlanFile;
import dev.converge.transforms.constraints.Constraints;
import dev.converge.transforms.report.board.PlanPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code converge plan SPEC}: Spec -> Plan only; writes plan.json and plan.html for approval. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Plans a spec without calling any agent (but the planner of plan.agent, whose answer",
      "is cached for the run) and writes the plan for a human to approve:",
      "plan.json (tasks, targets and base commits, instructions, estimated agent calls and",
      "cost, the hashes of the spec and its context documents) and plan.html beside it.",
      "Run exactly that plan with `converge run SPEC --plan plan.json`."
    })
final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The spec file (YAML).")
  Path spec;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the plan (default: plan.json next to the spec).")
  Path out;

  @Override
  public Integer call() throws Exception {
    ChangeJob job = new JobLauncher(System.out).compile(spec);
    PlanFile plan = SpecDrivenRun.planOf(job, spec);
    Path planFile = out != null ? out : spec.toAbsolutePath().normalize().resolveSibling("plan.json");
    plan.write(planFile);
    Path view = planFile.resolveSibling(stem(planFile) + ".html");
    Files.writeString(view, PlanPage.render(sheet(plan)), StandardCharsets.UTF_8);

    PlanFile.Estimate e = plan.estimate();
    System.out.printf(
        "converge plan: %s — %d tasks x %d agents x %d samples = %d agent calls at most, estimated cost %s%n%n",
        plan.spec(), e.tasks(), e.agents(), e.samples(), e.agentCalls(), cost(e));
    int width = plan.tasks().stream().mapToInt(t -> t.id().length()).max().orElse(4);
    int filesWidth = plan.tasks().stream().mapToInt(t -> t.files().toString().length()).max().orElse(2);
    for (PlanFile.PlannedTask t : plan.tasks()) {
      System.out.printf(
          "  %-" + width + "s  %-" + filesWidth + "s  %s%n", t.id(), t.files(), oneLine(t.instructions()));
    }
    if (!plan.context().isEmpty()) {
      System.out.println();
      System.out.println("context documents given to every agent: " + String.join(", ", plan.context().keySet()));
    }
    System.out.println();
    System.out.println("plan: " + planFile + " (hash " + plan.planHash().substring(0, 12) + ")");
    System.out.println("view: " + view);
    System.out.println("approve and run it: converge run " + spec + " --plan " + planFile);
    return Converge.EXIT_OK;
  }

  static PlanPage.Sheet sheet(PlanFile plan) {
    List<String> context = new ArrayList<>();
    plan.context().forEach((name, hash) -> context.add(name + " (sha256 " + hash.substring(0, 12) + ")"));
    return new PlanPage.Sheet(
        plan.spec(),
        plan.specFile(),
        plan.planHash(),
        plan.agents().stream().map(a -> a.id() + " (" + a.kind() + ")").toList(),
        plan.samples(),
        plan.estimate().agentCalls(),
        cost(plan.estimate()),
        context,
        rules(plan.constraints()),
        plan.tasks().stream()
            .map(t -> new PlanPage.Row(t.id(), t.target(), t.instructions(), t.files(), t.testCommand(), t.agentCalls()))
            .toList());
  }

  static List<String> rules(Constraints c) {
    List<String> rules = new ArrayList<>();
    if (c == null) {
      return rules;
    }
    add(rules, "constraints.allowedPaths", c.allowedPaths().isEmpty() ? null : c.allowedPaths());
    add(rules, "constraints.forbiddenPaths", c.forbiddenPaths().isEmpty() ? null : c.forbiddenPaths());
    add(rules, "constraints.maxChangedLines", c.maxChangedLines());
    add(rules, "constraints.maxChangedFiles", c.maxChangedFiles());
    add(rules, "constraints.forbiddenPatterns", c.forbiddenPatterns().isEmpty() ? null : c.forbiddenPatterns());
    add(rules, "constraints.requiredPatterns", c.requiredPatterns().isEmpty() ? null : c.requiredPatterns());
    add(rules, "constraints.requireTestChanges", c.requireTestChanges());
    add(rules, "constraints.allowedFileTypes", c.allowedFileTypes().isEmpty() ? null : c.allowedFileTypes());
    add(rules, "drift.maxFilesOutsideScope", c.maxFilesOutsideScope());
    add(rules, "drift.maxNewFiles", c.maxNewFiles());
    add(rules, "drift.maxSizeRatio", c.maxSizeRatio());
    return rules;
  }

  private static void add(List<String> rules, String name, Object value) {
    if (value != null) {
      rules.add(name + ": " + value);
    }
  }

  static String cost(PlanFile.Estimate e) {
    return e.costUsd() == null
        ? "unknown (" + e.costNote() + ")"
        : String.format(Locale.ROOT, "$%.4f", e.costUsd());
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String oneLine(String text) {
    String s = text.replaceAll("\\s+", " ").strip();
    return s.length() > 90 ? s.substring(0, 89) + "…" : s;
  }
}
