package dev.dkrig.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --color WHEN}: auto, always or never, in any case. */
final class ColorOption {
  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto, always or never (default: ${DEFAULT-VALUE}).")
  String color = "auto";

  /** The value in lower case; anything else is a usage error (exit 2). */
  String when(CommandLine line) {
    String when = color.toLowerCase(Locale.ROOT);
    if (!List.of("auto", "always", "never").contains(when)) {
      throw new CommandLine.ParameterException(line, "--color must be auto, always or never");
    }
    return when;
  }
}
