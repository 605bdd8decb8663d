package dev.dkrig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How much a command prints: {@code -q} or {@code -v}, repeatable ({@code -vv}) wherever it is
 * taken, so that one spelling means the same in {@code pair} and {@code suite}.
 */
final class ConsoleOptions {
  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the verdict.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "More output on stderr (bench notes, events). Repeatable.")
  boolean[] verbose = new boolean[0];

  /** How many {@code -v}; 0 without. */
  int verbosity() {
    return verbose.length;
  }

  boolean verbose() {
    return verbose.length > 0;
  }

  /** Both given: a usage error (exit 2). */
  void check(CommandLine line) {
    if (quiet && verbose()) {
      throw new CommandLine.ParameterException(
          line, "-q (quiet) and -v (verbose) contradict each other: give one");
    }
  }
}
