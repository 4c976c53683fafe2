package dev.converge.runners;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code converge demo}: the offline demo, with real scripted agents and real tests. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the offline demo: makes a small git repository with real tests from",
      "specs/examples/demo/, then runs demo.yaml on it with three scripted command agents",
      "(two careful, one hasty). Needs no network and no API keys."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "converge-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin RunOptionsMixin runOptions;

  @Override
  public Integer call() throws Exception {
    Path outputDir = out.toAbsolutePath().normalize();
    Path spec = Demo.materialize(Demo.sources(), outputDir.resolve(Demo.INPUT_FOLDER));
    System.out.println("demo repository and spec: " + spec.getParent());
    new JobLauncher(System.out).run(runOptions.toOptions(spec.toString(), outputDir.toString()));
    System.out.println("open " + outputDir.resolve("results.jsonl") + " to see every candidate");
    return Converge.EXIT_OK;
  }
}
