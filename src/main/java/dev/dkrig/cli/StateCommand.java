package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.state.DkRecord;
import dev.dkrig.state.StateException;
import dev.dkrig.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dkrig state show|reset}: the attempt counter and the DK records the rig keeps. */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Show or reset the rig's persistent state: the SPAKE2+ attempt counter of a provisioned",
      "verifier (contract §5.6, §18.9) and the Digital Key records of paired devices (§8.6)."
    },
    subcommands = {StateCommand.Show.class, StateCommand.Reset.class})
final class StateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: show or reset");
  }

  static final class DirectoryOption {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "State directory (default: $DKRIG_STATE_DIR or ~/.local/state/dkrig).")
    Path stateDir;

    StateStore store() {
      return new StateStore(stateDir != null ? stateDir : Bench.defaultStateDirectory());
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "List the attempt counter and the DK records (no secrets).")
  static final class Show implements Callable<Integer> {
    @CommandLine.Mixin DirectoryOption directory = new DirectoryOption();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      StateStore store = directory.store();
      Optional<String> attempts;
      List<DkRecord> records;
      try {
        store.refuseNonFolder();
        attempts = store.attemptsSummary();
        records = store.records();
      } catch (StateException e) {
        return refuse(spec, e);
      }
      out.println("state directory: " + store.directory());
      out.println(attempts.orElse("no provisioned-verifier attempts recorded"));
      if (records.isEmpty()) {
        out.println("no Digital Key records");
      }
      for (DkRecord r : records) {
        out.printf(
            "DK %s  vehicle %s  %-16s  version %s  key slot %s  updated %s%s%n",
            r.dkId(),
            r.vehicleId(),
            r.state(),
            r.agreedVersion(),
            r.initialKeySlot(),
            r.updated(),
            r.receipt() != null ? "  receipt verified" : "");
      }
      out.flush();
      return ExitCodes.PASS;
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = {
        "Delete dkrig's own files in the state folder: the attempt counter, the DK records and"
            + " left-over temporary files, damaged or not.",
        "A folder holding any other file is refused (exit 4) and nothing is deleted."
      })
  static final class Reset implements Callable<Integer> {
    @CommandLine.Mixin DirectoryOption directory = new DirectoryOption();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry-run", description = "List the files reset would delete; delete none.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      StateStore store = directory.store();
      List<Path> files;
      try {
        files = store.reset(dryRun);
      } catch (StateException e) {
        return refuse(spec, e);
      }
      out.println(
          (dryRun ? "would remove " : "removed ")
              + files.size()
              + " file(s) from "
              + store.directory()
              + (files.isEmpty() ? "" : ":"));
      for (Path file : files) {
        out.println("  " + store.directory().relativize(file));
      }
      out.flush();
      return ExitCodes.PASS;
    }
  }

  /** A state folder or file that cannot be used: one line naming it, exit 4. */
  static int refuse(CommandLine.Model.CommandSpec spec, StateException e) {
    spec.commandLine().getErr().println("dkrig: " + e.getMessage());
    spec.commandLine().getErr().flush();
    return ExitCodes.CONFIGURATION;
  }
}
