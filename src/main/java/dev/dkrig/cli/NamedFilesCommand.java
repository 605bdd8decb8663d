package dev.dkrig.cli;

import dev.dkrig.bench.ConfigNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dkrig rigs}, {@code dkrig profiles}, {@code dkrig suites}: the files a bare name finds,
 * and where (issue 18). {@code --names} is the hook of shell completion: one name a line.
 */
abstract class NamedFilesCommand implements Callable<Integer> {
  static final String FOOTER =
      "%nA name is looked up in $XDG_CONFIG_HOME/dkrig (default ~/.config/dkrig), then in the"
          + " shared folder (/usr/share/dkrig of an installed dkrig, the checkout's for its own dkrig launcher),"
          + " then in the jar. An argument with a '/' or a .yaml ending is a path instead.%n%n"
          + "Exit codes: 0 listed.";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--names",
      description = "Only the names, one a line, each once (for shell completion).")
  boolean namesOnly;

  abstract ConfigNames.Kind kind();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ConfigNames names = ConfigNames.fromEnvironment();
    if (namesOnly) {
      names.names(kind()).forEach(out::println);
      out.flush();
      return ExitCodes.PASS;
    }
    List<ConfigNames.Found> found = names.list(kind());
    int width = found.stream().mapToInt(f -> f.name().length()).max().orElse(4);
    for (ConfigNames.Found f : found) {
      out.printf(
          "%-" + width + "s  %-8s  %s%s%n",
          f.name(),
          f.place().label(),
          f.source().displayName(),
          f.hidden() ? "  (hidden by the one above)" : "");
    }
    if (found.isEmpty()) {
      out.println("(no " + kind().folder() + " found)");
    }
    out.flush();
    return ExitCodes.PASS;
  }

  @Command(
      name = "rigs",
      mixinStandardHelpOptions = true,
      versionProvider = VersionInfo.class,
      description =
          "List the rigs that '--rig NAME' finds: name, place (user, shared, built-in), file.",
      footer = FOOTER)
  static final class Rigs extends NamedFilesCommand {
    @Override
    ConfigNames.Kind kind() {
      return ConfigNames.Kind.RIG;
    }
  }

  @Command(
      name = "profiles",
      mixinStandardHelpOptions = true,
      versionProvider = VersionInfo.class,
      description =
          "List the vehicle profiles that '--profile NAME' finds: name, place (user, shared,"
              + " built-in), file.",
      footer = FOOTER)
  static final class Profiles extends NamedFilesCommand {
    @Override
    ConfigNames.Kind kind() {
      return ConfigNames.Kind.PROFILE;
    }
  }

  @Command(
      name = "suites",
      mixinStandardHelpOptions = true,
      versionProvider = VersionInfo.class,
      description =
          "List the conformance suites that 'dkrig suite NAME' finds: name, place (user, shared,"
              + " built-in), file.",
      footer = FOOTER)
  static final class Suites extends NamedFilesCommand {
    @Override
    ConfigNames.Kind kind() {
      return ConfigNames.Kind.SUITE;
    }
  }
}
