package dev.dkrig.cli;

import picocli.CommandLine.Option;

/** {@code --debug}, spelled and meant the same in {@code pair}, {@code phone} and {@code apdu}. */
final class DebugOption {
  @Option(
      names = "--debug",
      description = "APDU trace on stderr, stack traces for internal errors.")
  boolean on;
}
