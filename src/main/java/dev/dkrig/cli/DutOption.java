package dev.dkrig.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --dut}: the label of the device under test in every report. */
final class DutOption {
  @Option(
      names = "--dut",
      paramLabel = "LABEL",
      description = "A label for the device under test, carried into the reports.")
  String dut;

  Optional<String> dut() {
    return Optional.ofNullable(dut);
  }
}
