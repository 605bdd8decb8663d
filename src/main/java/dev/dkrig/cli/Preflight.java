package dev.dkrig.cli;

import dev.dkrig.bench.RigConfig;
import dev.dkrig.io.SafeText;
import dev.dkrig.report.OutputPaths;
import dev.dkrig.state.RecordsAhead;
import dev.dkrig.state.StateException;
import dev.dkrig.state.StateStore;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * What {@code pair} (one run, several runs, several pads), {@code suite}, {@code apdu}, {@code
 * phone} and {@code emulate} check before the first APDU (issue 14): randomness that a real device
 * may face, every output path and the state folder, the rig's reader name and serial port; and,
 * after the run, that the evidence promised was written.
 */
final class Preflight {
  private Preflight() {}

  /** A path the run will write, the option that asked for it, and whether it is a folder. */
  record Output(String option, Path path, boolean folder) {
    static Output file(String option, Path path) {
      return new Output(option, path, false);
    }
  }

  /**
   * On any transport but the in-process virtual device every secret comes from SecureRandom; {@code
   * --seed} and {@code --test-mode} there need {@code --insecure-randomness} (a vpcd reader looks
   * like a real one to dkrig). A usage error (exit 2) otherwise.
   */
  static void requireSecureRandomness(
      CommandLine line,
      RigConfig.Transport transport,
      boolean seeded,
      boolean testMode,
      boolean insecure) {
    if ((seeded || testMode) && !insecure && transport != RigConfig.Transport.VIRTUAL) {
      throw new CommandLine.ParameterException(
          line,
          (seeded ? "--seed" : "--test-mode")
              + " makes the session keys predictable and this rig talks to a real reader ("
              + transport.name().toLowerCase(Locale.ROOT)
              + "): add --insecure-randomness only if the device on it is a virtual one");
    }
  }

  /** What several runs write at the top: the folder, the summary JSON, the combined JUnit XML. */
  static List<Output> summary(RunFiles cmd) {
    return summary(cmd.reportDir(), cmd.json(), cmd.junit());
  }

  /**
   * What a run of many writes at the top (pair's summary, suite's documents): the folder, the JSON
   * document unless it goes to stdout ({@code -}), the JUnit XML.
   */
  static List<Output> summary(Path reportDir, String json, Path junit) {
    List<Output> files = new ArrayList<>();
    if (reportDir != null) {
      files.add(new Output("--report-dir", reportDir, true));
    }
    add(files, "--json", json == null || json.equals("-") ? null : Path.of(json));
    add(files, "--junit", junit);
    return files;
  }

  static void add(List<Output> files, String option, Path explicit) {
    if (explicit != null) {
      files.add(Output.file(option, explicit));
    }
  }

  /**
   * Every output path and the state folder. Returns exit 4 with one line naming the option, path
   * and cause, or empty when the run may start.
   */
  static Optional<Integer> check(List<Output> files, Path stateDirectory, PrintWriter err) {
    return check(files, stateDirectory, Optional.empty(), err);
  }

  /**
   * {@link #check(List, Path, PrintWriter)} with the DK records read by {@code records}, which a
   * single pairing starts before it loads its profile (issue 20).
   */
  static Optional<Integer> check(
      List<Output> files, Path stateDirectory, Optional<RecordsAhead> records, PrintWriter err) {
    Optional<Integer> outputs = checkOutputs(files, err);
    if (outputs.isPresent()) {
      return outputs;
    }
    try {
      StateStore store = new StateStore(stateDirectory);
      if (records.isPresent()) {
        store.check(records.get());
      } else {
        store.check();
      }
    } catch (StateException e) {
      err.println("dkrig: " + e.getMessage());
      err.flush();
      return Optional.of(ExitCodes.CONFIGURATION);
    }
    return Optional.empty();
  }

  /** The output paths alone, for commands without a state folder: exit 4 or empty. */
  static Optional<Integer> checkOutputs(List<Output> files, PrintWriter err) {
    try {
      for (Output file : files) {
        if (file.folder()) {
          OutputPaths.probeFolder(file.option(), file.path());
        } else {
          OutputPaths.probeFile(file.option(), file.path());
        }
      }
    } catch (OutputPaths.Unwritable e) {
      err.println("dkrig: cannot write the evidence: " + e.getMessage());
      err.flush();
      return Optional.of(ExitCodes.CONFIGURATION);
    }
    return Optional.empty();
  }

  /**
   * A verdict needs its evidence: an output file that could not be written (disk full) makes the
   * run ERROR (exit 3), naming what is missing.
   */
  static Optional<Integer> incompleteEvidence(List<String> failures, PrintWriter err) {
    if (failures.isEmpty()) {
      return Optional.empty();
    }
    err.println("dkrig: ERROR: the evidence is incomplete: " + String.join("; ", failures));
    err.flush();
    return Optional.of(ExitCodes.ERROR);
  }

  /**
   * The reader and the serial port a vehicle rig will open, checked before the run without opening
   * either: {@link #checkReader} (unless {@code -r} names the reader) and {@link #checkSerialPort}.
   * Exit 4 with one line, or empty.
   */
  static Optional<Integer> checkRig(
      RigConfig rig,
      Optional<String> readerOption,
      Optional<String> serialPortOption,
      PrintWriter err) {
    if (rig.transport() == RigConfig.Transport.PCSC && readerOption.isEmpty()) {
      return checkReader(rig.reader(), rig.source().displayName(), System.getenv(), err);
    }
    if (rig.transport() == RigConfig.Transport.PN532_UART) {
      return checkSerialPort(
          serialPortOption.or(() -> rig.pn532().map(p -> p.port())),
          serialPortOption.isPresent(),
          rig.source().displayName(),
          err);
    }
    return Optional.empty();
  }

  /**
   * The BLE adapter a pairing will advertise on when the rig turns BLE on: its name from {@code
   * DKRIG_BLE_ADAPTER} or the rig's {@code bleAdapter} (unless {@code --ble-adapter}, checked as it
   * is parsed, names it), checked before the run; whether it exists is the run's to find (P1.6.2).
   * Exit 4 with one line, or empty.
   */
  static Optional<Integer> checkBleAdapter(
      RigConfig rig, Optional<String> bleAdapterOption, PrintWriter err) {
    if (bleAdapterOption.isPresent() || rig.ble() == RigConfig.BleMode.OFF) {
      return Optional.empty();
    }
    Optional<String> adapter = rig.bleAdapter(System.getenv());
    String where =
        adapter.equals(rig.bleAdapter())
            ? rig.source().displayName() + ": bleAdapter: "
            : RigConfig.ENV_BLE_ADAPTER + "=";
    return refused(where, adapter, RigOptions.BleAdapterName::refusal, err);
  }

  /**
   * {@code DKRIG_READER} and a PC/SC rig's {@code reader:} (the fallbacks of {@code -r}, which its
   * converter checks as it is parsed): a value that can select no reader whatever is plugged in is
   * a configuration error (exit 4) naming where it came from, before the run, not an ERROR at
   * P1.6.1.
   */
  static Optional<Integer> checkReader(
      Optional<String> rigReader,
      String rigName,
      Map<String, String> environment,
      PrintWriter err) {
    Optional<String> fromEnvironment =
        Optional.ofNullable(environment.get(ReaderSelection.ENV_READER)).filter(v -> !v.isBlank());
    String where =
        fromEnvironment.isPresent() ? ReaderSelection.ENV_READER + "=" : rigName + ": reader: ";
    Optional<String> hint = fromEnvironment.or(() -> rigReader);
    return refused(where, hint, ReaderSelection::refusal, err);
  }

  /**
   * Exit 4 with {@code configuration error: WHERE VALUE: WHY} when {@code why} refuses the value,
   * or empty.
   */
  private static Optional<Integer> refused(
      String where,
      Optional<String> value,
      Function<String, Optional<String>> why,
      PrintWriter err) {
    Optional<String> refusal = value.flatMap(why);
    if (refusal.isEmpty()) {
      return Optional.empty();
    }
    err.println(
        "dkrig: configuration error: "
            + SafeText.line(where + value.get())
            + ": "
            + SafeText.line(refusal.get()));
    err.flush();
    return Optional.of(ExitCodes.CONFIGURATION);
  }

  /**
   * A PN532 board's serial port ({@code --serial-port} when {@code given}, else the rig's {@code
   * port:}), checked before the run without opening it: a path that is not there, a folder or a
   * regular file is a configuration error (exit 4) naming it; a port that cannot be opened or a
   * board that does not answer stays the run's ERROR (exit 3).
   */
  static Optional<Integer> checkSerialPort(
      Optional<String> port, boolean given, String rigName, PrintWriter err) {
    Optional<String> problem = port.flatMap(Preflight::serialDeviceProblem);
    if (problem.isEmpty()) {
      return Optional.empty();
    }
    err.println(
        "dkrig: "
            + SafeText.line((given ? "--serial-port " : rigName + ": port: ") + port.get())
            + ": "
            + problem.get()
            + (given ? "" : "; --serial-port PATH overrides the rig's port"));
    err.flush();
    return Optional.of(ExitCodes.CONFIGURATION);
  }

  /**
   * Why {@code path} is no serial device a PN532 board can be on (missing, a folder, a regular
   * file), or empty. {@code emulate} checks its ports with it too.
   */
  static Optional<String> serialDeviceProblem(String path) {
    if (path.isBlank()) {
      // Path.of("") is the current folder.
      return Optional.of("empty; give the board's port or one end of a socat pty pair");
    }
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      return Optional.of("not a path this system can name: " + SafeText.line(e.getReason()));
    }
    if (!Files.exists(file)) {
      return Optional.of(
          "no such file (plug the USB-serial adapter in, or start socat first: its pty link must"
              + " exist)");
    }
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      if ((mode & S_IFMT) != S_IFCHR) {
        return Optional.of(
            "not a serial device (a pty or a tty)"
                + (Files.isDirectory(file) ? " but a folder" : "")
                + "; give the board's port or one end of a socat pty pair");
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.of("cannot read it: " + SafeText.line(String.valueOf(e.getMessage())));
    }
    return Optional.empty();
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
}
