package dev.dkrig.cli;

import dev.dkrig.transport.pcsc.ReaderSelection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The bench a run uses, shared by {@code pair} and {@code suite}: {@code --rig}, {@code --profile}
 * and {@code -r}. A command whose help words an option differently says so in its resource bundle,
 * under the option's long name ({@code SuiteCommand.properties}).
 */
final class RigOptions {
  @Option(
      names = "--rig",
      paramLabel = "RIG",
      description =
          "Bench set-up: a name from 'dkrig rigs' or a file (default: the built-in virtual"
              + " device).")
  Path rig;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "Vehicle profile: a name from 'dkrig profiles' or a file (default: the built-in test"
              + " vehicle).")
  Path profile;

  @Option(
      names = {"-r", "--reader"},
      paramLabel = "READER",
      description =
          "PC/SC reader: a number from 'dkrig readers' or a name fragment (3+ characters)."
              + " Default: $DKRIG_READER, the rig's reader, or the only reader (with a card)."
              + " Repeat it to pair on several pads at once, one process each.",
      converter = ReaderHint.class)
  List<String> readers = new ArrayList<>();

  Optional<Path> rig() {
    return Optional.ofNullable(rig);
  }

  Optional<Path> profile() {
    return Optional.ofNullable(profile);
  }

  /** The rig and profile files given, by option: a report must not be written over them. */
  List<Preflight.Output> inputs() {
    List<Preflight.Output> inputs =
        new ArrayList<>(DistinctOutputs.inputs("--rig", Collections.singletonList(rig)));
    inputs.addAll(DistinctOutputs.inputs("--profile", Collections.singletonList(profile)));
    return inputs;
  }

  /** The first {@code -r}: the reader of a run on one pad. */
  Optional<String> reader() {
    return readers.isEmpty() ? Optional.empty() : Optional.of(readers.get(0));
  }

  /** For a command that runs on one pad: a second {@code -r} is a usage error (exit 2). */
  Optional<String> singleReader(CommandLine line) {
    if (readers.size() > 1) {
      throw new CommandLine.ParameterException(
          line, "-r (--reader) is given " + readers.size() + " times: give one reader");
    }
    return reader();
  }

  /**
   * {@code -r} of every command: a value that can select no reader (the number 0, a name fragment
   * under 3 characters) is a usage error (exit 2) when the command line is parsed, before the run,
   * not an ERROR once the reader is first looked for.
   */
  static final class ReaderHint implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      Optional<String> refused = ReaderSelection.refusal(value);
      if (refused.isPresent()) {
        throw new CommandLine.TypeConversionException(refused.get());
      }
      return value;
    }
  }

  /**
   * {@code --ble-adapter}: a BlueZ adapter name ({@code hci0}), one element of its D-Bus object
   * path; anything else (a full path, a space) is a usage error (exit 2) when the command line is
   * parsed, not an ERROR at P1.6.2. Whether the adapter exists is the run's to find (exit 3).
   */
  static final class BleAdapterName implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      Optional<String> refused = refusal(value);
      if (refused.isPresent()) {
        throw new CommandLine.TypeConversionException(refused.get());
      }
      return value;
    }

    /** Why {@code name} is no adapter name, or empty. */
    static Optional<String> refusal(String name) {
      return name.matches("[A-Za-z0-9_]+")
          ? Optional.empty()
          : Optional.of(
              "'"
                  + name
                  + "' is no BlueZ adapter name: give one like hci0 ('bluetoothctl list' shows"
                  + " them)");
    }
  }
}
