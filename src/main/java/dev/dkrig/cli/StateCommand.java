package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.state.DkRecord;
import dev.dkrig.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
      "Show or reset the rig's persistent state: the SPAKE2+ attempt counter of a provisioned"
          + " verifier (contract §5.6, §18.9) and the Digital Key records of paired devices"
          + " (§8.6)."
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
      out.println("state directory: " + store.directory());
      out.println(store.attemptsSummary().orElse("no provisioned-verifier attempts recorded"));
      List<DkRecord> records = store.records();
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
      description = "Delete the attempt counter and every DK record.")
  static final class Reset implements Callable<Integer> {
    @CommandLine.Mixin DirectoryOption directory = new DirectoryOption();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      StateStore store = directory.store();
      int removed = store.reset();
      spec.commandLine()
          .getOut()
          .println("removed " + removed + " file(s) from " + store.directory());
      spec.commandLine().getOut().flush();
      return ExitCodes.PASS;
    }
  }
}
