package dev.dkrig.cli;

import picocli.CommandLine;

/**
 * {@code dkrig} with {@code emulate} registered, for tests that run it in process or as a separate
 * JVM before {@link Main} lists it among its subcommands (and unchanged once it does).
 */
final class EmulateLauncher {
  private EmulateLauncher() {}

  static CommandLine commandLine() {
    CommandLine cli = Main.commandLine();
    if (!cli.getSubcommands().containsKey("emulate")) {
      cli.addSubcommand(new EmulateCommand());
      // Handlers reach only the subcommands present when they are set: set them again.
      cli.setParameterExceptionHandler(cli.getParameterExceptionHandler());
      cli.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
    }
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
