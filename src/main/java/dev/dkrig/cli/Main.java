package dev.dkrig.cli;

import dev.dkrig.io.SafeText;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dkrig} command line. Only this class configures logging and exit codes. */
@Command(
    name = "dkrig",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Hardware-in-the-loop rig for CCC Digital Key owner pairing: plays the car's Digital Key"
          + " module against a phone, a CCC test card, or its own virtual device."
    },
    footer = {
      "",
      "Exit codes:",
      "  0   PASS: every gating step passed",
      "  1   FAIL: the device under test misbehaved",
      "  2   usage error (bad option or argument)",
      "  3   ERROR: bench unavailable or the run was inconclusive",
      "  4   configuration error found before the run (a file, a value or a path)",
      "  70  internal error (a bug in dkrig: please report it with the --debug output)",
      "  130 interrupted (SIGINT, Ctrl-C): the current step ends ERROR, every report",
      "      written",
      "  143 terminated (SIGTERM, e.g. a cancelled CI job): the same as 130"
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  private static volatile boolean exitingOnSignal;

  public static void main(String[] args) {
    // The jar's digest (a preamble line of pair and suite) is read on the other core while picocli
    // starts; the other commands never print it and do not pay for it.
    if (args.length > 0
        && (args[0].equals("pair") || args[0].equals("suite") || args[0].equals("phone"))) {
      dev.dkrig.report.Preamble.startJarDigest();
    }
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

  /**
   * The subcommands, in help order. Registered by name so that a run builds the model of its own
   * command only: picocli reads every command's annotations by reflection, about 20 ms each on a
   * cold JVM (issue 10).
   */
  private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS =
      new java.util.LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("pair", PairCommand::new);
    SUBCOMMANDS.put("suite", SuiteCommand::new);
    SUBCOMMANDS.put("replay", ReplayCommand::new);
    SUBCOMMANDS.put("phone", PhoneCommand::new);
    SUBCOMMANDS.put("emulate", EmulateCommand::new);
    SUBCOMMANDS.put("doctor", DoctorCommand::new);
    SUBCOMMANDS.put("readers", ReadersCommand::new);
    SUBCOMMANDS.put("state", StateCommand::new);
    SUBCOMMANDS.put("verifier", VerifierCommand::new);
    SUBCOMMANDS.put("apdu", ApduCommand::new);
    SUBCOMMANDS.put("steps", StepsCommand::new);
    SUBCOMMANDS.put("rigs", NamedFilesCommand.Rigs::new);
    SUBCOMMANDS.put("profiles", NamedFilesCommand.Profiles::new);
    SUBCOMMANDS.put("suites", NamedFilesCommand.Suites::new);
    SUBCOMMANDS.put("completion", CompletionCommand::new);
    SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  /** Runs the command line and returns the exit code; tests call this directly. */
  public static int run(String... args) {
    CommandLine line = commandLine(args);
    dev.dkrig.bench.StartupMarks.mark("model");
    return line.execute(args);
  }

  /** Every command: for help, suggestions, and tests. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for these arguments: only the named subcommand when the first argument names
   * one (other than help), every subcommand otherwise.
   */
  static CommandLine commandLine(String[] arguments) {
    CommandLine cli = new CommandLine(new Main());
    dev.dkrig.bench.StartupMarks.mark("model dkrig");
    String first = arguments.length > 0 ? arguments[0] : "";
    if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
      Object command = SUBCOMMANDS.get(first).get();
      dev.dkrig.bench.StartupMarks.mark("command object");
      cli.addSubcommand(first, command);
    } else {
      SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    cli.setUsageHelpAutoWidth(true);
    // After the subcommands: picocli hands a converter to the commands added so far.
    cli.registerConverter(java.nio.file.Path.class, Main::path);
    // Usage errors get one line and a pointer to --help, not the whole manual (exit 2).
    cli.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine failed = exception.getCommandLine();
          PrintWriter err = failed.getErr();
          // Picocli quotes the argument it refused: its control characters become escapes.
          err.println(
              "dkrig: "
                  + String.join(
                      System.lineSeparator(),
                      exception.getMessage().lines().map(SafeText::line).toList()));
          CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          err.flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          if (exception instanceof dev.dkrig.state.StateException state) {
            // A damaged state file or unusable state folder is the user's to repair (exit 4).
            commandLine.getErr().println("dkrig: " + SafeText.line(state.getMessage()));
            return ExitCodes.CONFIGURATION;
          }
          if (exception instanceof java.nio.file.InvalidPathException path) {
            // An option read as text and made a path later (--json FILE|-, apdu -f FILE|-).
            commandLine.getErr().println("dkrig: " + unnameable(path));
            commandLine
                .getErr()
                .println(
                    "Try '"
                        + commandLine.getCommandSpec().qualifiedName()
                        + " --help' for more information.");
            return ExitCodes.USAGE;
          }
          commandLine
              .getErr()
              .println("dkrig: internal error: " + SafeText.line(exception.toString()));
          if (Boolean.getBoolean("dkrig.debug")) {
            exception.printStackTrace(commandLine.getErr());
          } else if (commandLine.getCommandSpec().findOption("--debug") != null) {
            commandLine.getErr().println("Re-run with --debug and report the output.");
          } else {
            // Only some commands have --debug: never point the user at an option that is not there.
            commandLine.getErr().println("This is a bug in dkrig: please report this output.");
          }
          return ExitCodes.INTERNAL;
        });
    return cli;
  }

  /** A path option's text as a path; one the system cannot name is a usage error (exit 2). */
  private static java.nio.file.Path path(String text) {
    try {
      return java.nio.file.Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CommandLine.TypeConversionException(unnameable(e));
    }
  }

  /**
   * Why a path cannot be used. In a locale whose character set is not UTF-8 (LANG=C, POSIX) Java
   * reads every non-ASCII character of the command line as '?' and cannot name such a file.
   */
  private static String unnameable(java.nio.file.InvalidPathException e) {
    String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
    boolean utf8 = charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8");
    return "'"
        + SafeText.line(e.getInput())
        + "' cannot be a file name"
        + (utf8 || e.getInput().indexOf(0) >= 0
            ? " (" + SafeText.line(e.getReason()) + ")"
            : " here: the locale's character set ("
                + charset
                + ") cannot hold it; run dkrig in a UTF-8 locale (e.g. LC_ALL=C.UTF-8)");
  }
}
