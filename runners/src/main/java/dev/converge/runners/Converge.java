package dev.converge.runners;

import dev.converge.pipelines.plan.PlanException;
import dev.converge.pipelines.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code converge} command line. {@code main} only wires picocli; each subcommand's {@code
 * call()} does its work.
 *
 * <p>Exit codes: 0 the job ran (whatever its tasks' states), 2 bad input (spec, plan or flags; the
 * message says what and where), 1 an internal error.
 */
@Command(
    name = "converge",
    mixinStandardHelpOptions = true,
    versionProvider = Converge.Version.class,
    description = "Runs many AI agents in parallel on one job and ships only what they converge on.",
    subcommands = {
      ValidateCommand.class,
      RunCommand.class,
      DemoCommand.class,
      SpecCommand.class,
      PlanCommand.class,
      DiffCommand.class,
      BoardCommand.class,
      ReviewCommand.class,
      ReviewDemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Converge implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_INTERNAL_ERROR = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  public static void main(String[] args) {
    dev.converge.transforms.workspace.ProcessRunner.useFastProcessLaunch();
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code; tests call this instead of {@code main}. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Converge())
        .setExitCodeExceptionMapper(Converge::exitCodeOf)
        .setExecutionExceptionHandler(Converge::reportFailure);
  }

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }

  private static int exitCodeOf(Throwable failure) {
    return isUserError(failure) ? EXIT_BAD_INPUT : EXIT_INTERNAL_ERROR;
  }

  private static boolean isUserError(Throwable failure) {
    return failure instanceof SpecException
        || failure instanceof PlanException
        || failure instanceof IllegalArgumentException;
  }

  /** User errors get their message only; anything else is a bug and keeps its stack trace. */
  private static int reportFailure(
      Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (isUserError(failure)) {
      err.println("converge: " + failure.getMessage());
    } else {
      err.println("converge: internal error, please report it with the output below");
      failure.printStackTrace(err);
    }
    err.flush();
    return exitCodeOf(failure);
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Converge.class.getPackage().getImplementationVersion();
      return new String[] {"converge " + (version == null ? "development" : version)};
    }
  }
}
