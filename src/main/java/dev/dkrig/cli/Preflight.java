package dev.dkrig.cli;

import dev.dkrig.bench.RigConfig;
import dev.dkrig.report.OutputPaths;
import dev.dkrig.state.RecordsAhead;
import dev.dkrig.state.StateException;
import dev.dkrig.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;

/**
 * What {@code pair} (one run, several runs, several pads), {@code suite} and {@code emulate} check
 * before the first APDU (issue 14): randomness that a real device may face, every output path and
 * the state folder; and, after the run, that the evidence promised was written.
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
}
