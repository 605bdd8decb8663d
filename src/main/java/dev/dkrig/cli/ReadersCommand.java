package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.report.JsonReport;
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
  /** The JSON document's schema name; its fields are listed in the README. */
  static final String SCHEMA = "dkrig-readers/1";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--rig",
      paramLabel = "RIG",
      description =
          "Number the readers as 'pair --rig RIG' does (its readerIgnore list); a name or a file.")
  Path rig;

  @CommandLine.Option(
      names = "--json",
      description =
          "Print the readers as one JSON document (dkrig-readers/1, fields in the README), with"
              + " the same exit code; 'error' says why there is no list.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> rigIgnore = List.of();
    if (rig != null) {
      try {
        rigIgnore = RigConfig.load(ConfigNames.fromEnvironment().rig(rig)).readerIgnore();
      } catch (ConfigException e) {
        return failed(out, err, ExitCodes.CONFIGURATION, "configuration error: " + e.getMessage());
      }
    }
    ReaderSelection selection =
        ReaderSelection.forRig(Optional.empty(), Optional.empty(), rigIgnore, System.getenv());
    List<Pcsc.ReaderInfo> readers;
    try {
      readers = Pcsc.describe(Pcsc.terminals(Pcsc.factory()), true);
    } catch (TransportException e) {
      return failed(out, err, ExitCodes.ERROR, e.getMessage());
    }
    if (readers.isEmpty()) {
      return failed(
          out,
          err,
          ExitCodes.ERROR,
          "no PC/SC reader is connected (plug the reader in; dkrig doctor checks the bench)");
    }
    if (json) {
      out.print(JsonReport.text(document(readers, selection, null)));
      out.flush();
      return ExitCodes.PASS;
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

  /** One line on stderr, and with {@code --json} the document with its {@code error}. */
  private int failed(PrintWriter out, PrintWriter err, int code, String message) {
    err.println("dkrig: " + message);
    err.flush();
    if (json) {
      out.print(JsonReport.text(document(List.of(), null, message)));
      out.flush();
    }
    return code;
  }

  /** The JSON document ({@code dkrig-readers/1}): numbers as {@code -r} takes them. */
  static ObjectNode document(
      List<Pcsc.ReaderInfo> readers, ReaderSelection selection, String error) {
    ObjectNode document = new ObjectMapper().createObjectNode();
    document.put("schema", SCHEMA);
    ArrayNode list = document.putArray("readers");
    int number = 0;
    for (Pcsc.ReaderInfo reader : readers) {
      ObjectNode node = list.addObject();
      boolean ignored = selection.ignored(reader.name());
      if (ignored) {
        node.putNull("number");
      } else {
        node.put("number", ++number);
      }
      node.put("name", reader.name());
      node.put("ignored", ignored);
      node.put("cardPresent", reader.cardPresent());
      boolean atrKnown = reader.cardPresent() && reader.atr().matches("[0-9A-F]+");
      node.put("atr", atrKnown ? reader.atr() : null);
      node.put(
          "atrError",
          reader.cardPresent() && !atrKnown ? reader.atr().replaceAll("^\\(|\\)$", "") : null);
    }
    document.put("error", error);
    return document;
  }
}
