package dev.dkrig.cli;

import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pcsc.Pcsc;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.io.PrintWriter;
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
          + " name fragments) are shown as ignored and not numbered.",
      ""
    },
    footer = {"", "Exit codes: 0 readers listed, 3 no reader or pcscd not running."})
final class ReadersCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReaderSelection selection = ReaderSelection.of(Optional.empty(), System.getenv());
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
        out.printf("      %-40s (ignored: %s)%n", reader.name(), ReaderSelection.ENV_READER_IGNORE);
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
