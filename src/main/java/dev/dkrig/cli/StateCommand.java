package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.bench.Bench;
import dev.dkrig.io.SafeText;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.report.JsonReport;
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
    /** The JSON document's schema name; its fields are listed in the README. */
    static final String SCHEMA = "dkrig-state/1";

    @CommandLine.Mixin DirectoryOption directory = new DirectoryOption();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--json",
        description =
            "Print the state as one JSON document (dkrig-state/1, fields in the README), with the"
                + " same exit code.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      StateStore store = directory.store();
      Optional<StateStore.Attempts> attempts;
      List<DkRecord> records;
      try {
        store.refuseNonFolder();
        attempts = store.storedAttempts();
        records = store.records();
      } catch (StateException e) {
        // A damaged state file is an error, never an empty state.
        if (json) {
          out.print(JsonReport.text(document(store, Optional.empty(), List.of(), e.getMessage())));
          out.flush();
        }
        return refuse(spec, e);
      }
      if (json) {
        out.print(JsonReport.text(document(store, attempts, records, null)));
        out.flush();
        return ExitCodes.PASS;
      }
      out.println("state directory: " + SafeText.line(store.directory().toString()));
      out.println(
          attempts
              .map(StateStore.Attempts::summary)
              .orElse("no provisioned-verifier attempts recorded"));
      if (records.isEmpty()) {
        out.println("no Digital Key records");
      }
      for (DkRecord r : records) {
        out.printf(
            "DK %s  vehicle %s  %-16s  version %s  key slot %s  updated %s%s%n",
            r.dkId(),
            Hex.encode(r.vehicleId()),
            r.state(),
            Hex.u16(r.agreedVersion()),
            Hex.encode(r.initialKeySlot()),
            r.updated(),
            r.receipt() != null ? "  receipt verified" : "");
      }
      out.flush();
      return ExitCodes.PASS;
    }

    /** The public part of the state only: the secrets of a DK record never appear. */
    static ObjectNode document(
        StateStore store,
        Optional<StateStore.Attempts> attempts,
        List<DkRecord> records,
        String error) {
      ObjectNode document = new ObjectMapper().createObjectNode();
      document.put("schema", SCHEMA);
      document.put("directory", store.directory().toString());
      if (attempts.isPresent()) {
        ObjectNode node = document.putObject("attempts");
        node.put("verifier", attempts.get().verifier());
        node.put("count", attempts.get().attempts());
        node.put("updated", attempts.get().updated());
      } else {
        document.putNull("attempts");
      }
      ArrayNode list = document.putArray("records");
      for (DkRecord r : records) {
        ObjectNode node = list.addObject();
        node.put("dkId", r.dkId().hex());
        node.put("vehicleId", Hex.encode(r.vehicleId()));
        node.put("state", r.state().name());
        node.put("agreedVersion", Hex.u16(r.agreedVersion()));
        node.put("initialKeySlot", Hex.encode(r.initialKeySlot()));
        node.put("created", r.created() == null ? null : r.created().toString());
        node.put("updated", r.updated() == null ? null : r.updated().toString());
        node.put("receiptVerified", r.receipt() != null);
      }
      document.put("error", error);
      return document;
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
