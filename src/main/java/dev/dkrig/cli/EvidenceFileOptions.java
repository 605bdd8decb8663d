package dev.dkrig.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The evidence files of one pairing beside the reports, shared by {@code pair} and {@code phone}.
 */
final class EvidenceFileOptions {
  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write the APDU trace: >> each command, << its answer. --debug prints it on stderr.")
  Path trace;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description = "Write events as JSON lines as they happen (steps and the protocol's events).")
  Path events;

  @Option(
      names = "--pcapng",
      paramLabel = "FILE",
      description =
          "Write a pcapng capture (ISO 14443 APDUs, step comments) for Wireshark (read it with"
              + " tshark -r FILE -d iso14443.subdissector,iso7816)")
  Path pcapng;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "Write one self-contained HTML page (verdict, steps, timing charts, APDUs, preamble).")
  Path html;

  /** Every file of the run: these, the reports of {@code outputs} and the dump, if any. */
  RunFiles files(OutputOptions outputs, Path dump, boolean withDump) {
    return new RunFiles(
        outputs.json,
        outputs.junit,
        trace,
        events,
        pcapng,
        html,
        outputs.reportDir,
        dump,
        withDump);
  }

  /**
   * Several runs: the first of {@code options} given is a usage error (exit 2), the option's name
   * followed by {@code why}.
   */
  static void refuseForSeveralRuns(CommandLine line, List<String> options, String why) {
    for (String option : options) {
      if (line.getParseResult().hasMatchedOption(option)) {
        throw new CommandLine.ParameterException(line, option + why);
      }
    }
  }
}
