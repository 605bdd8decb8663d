package dev.dkrig.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dkrig} command line. Only this class configures logging and exit codes. */
@Command(
    name = "dkrig",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Hardware-in-the-loop rig for CCC Digital Key owner pairing: plays the car's Digital Key",
      "module against a phone, a CCC test card, or its own virtual device."
    },
    subcommands = {
      PairCommand.class,
      SuiteCommand.class,
      ReplayCommand.class,
      EmulateCommand.class,
      DoctorCommand.class,
      ReadersCommand.class,
      StateCommand.class,
      VerifierCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes:",
      "  0 PASS, 1 FAIL, 2 usage, 3 ERROR (bench unavailable or inconclusive),",
      "  4 configuration error found before the run, 70 internal error."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  private static volatile boolean exitingOnSignal;

  public static void main(String[] args) {
    int code = run(args);
    // During a signal-driven shutdown System.exit would block forever; the JVM exits on its own
    // with the signal's status (130 for SIGINT, 143 for SIGTERM).
    if (!exitingOnSignal) {
      System.exit(code);
    }
  }

  /** A command saw the shutdown hook fire: main must not call System.exit. */
  static void exitingOnSignal() {
    exitingOnSignal = true;
  }

  /** Runs the command line and returns the exit code; tests call this directly. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setUsageHelpAutoWidth(true);
    // Usage errors get one line and a pointer to --help, not the whole manual (exit 2).
    cli.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("dkrig: " + exception.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          err.flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          commandLine.getErr().println("dkrig: internal error: " + exception);
          if (Boolean.getBoolean("dkrig.debug")) {
            exception.printStackTrace(commandLine.getErr());
          } else {
            commandLine.getErr().println("Re-run with --debug and report the output.");
          }
          return ExitCodes.INTERNAL;
        });
    return cli;
  }
}
