package dev.dkrig.cli;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pcsc.Pcsc;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dkrig readers}: the PC/SC readers, numbered as {@code -r} takes them. */
@Command(
    name = "readers",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "List the PC/SC readers with a card-present marker and the ATR. The numbers are what"
          + " 'dkrig pair -r NUMBER' takes; readers matching $DKRIG_READER_IGNORE (comma-separated"
          + " name fragments) or the --rig file's readerIgnore are shown as ignored and not"
          + " numbered.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 readers listed, 3 no reader or pcscd not running, 4 the rig file is wrong."
    })
final class ReadersCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--rig",
      paramLabel = "RIG",
      description =
          "Number the readers as 'pair --rig RIG' does (its readerIgnore list); a name or a file.")
  Path rig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> rigIgnore = List.of();
    if (rig != null) {
      try {
        rigIgnore = RigConfig.load(ConfigNames.fromEnvironment().rig(rig)).readerIgnore();
      } catch (ConfigException e) {
        err.println("dkrig: configuration error: " + e.getMessage());
        return ExitCodes.CONFIGURATION;
      }
    }
    ReaderSelection selection =
        ReaderSelection.forRig(Optional.empty(), Optional.empty(), rigIgnore, System.getenv());
    List<Pcsc.ReaderInfo> readers;
    try {
      readers = Pcsc.describe(Pcsc.terminals(Pcsc.factory()), true);
    } catch (TransportException e) {
      err.println("dkrig: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    if (readers.isEmpty()) {
      err.println(
          "dkrig: no PC/SC reader is connected (plug the reader in; dkrig doctor checks the bench)");
      return ExitCodes.ERROR;
    }
    int number = 0;
    for (Pcsc.ReaderInfo reader : readers) {
      if (selection.ignored(reader.name())) {
        out.printf(
            "      %-40s (ignored: %s)%n",
            reader.name(),
            rig == null
                ? ReaderSelection.ENV_READER_IGNORE
                : ReaderSelection.ENV_READER_IGNORE + " or the rig's readerIgnore");
        continue;
      }
      number++;
      out.printf(
          "  %2d  %-40s %s%n",
          number, reader.name(), reader.cardPresent() ? "card  " + reader.atr() : "-");
    }
    out.flush();
    return ExitCodes.PASS;
  }
}
