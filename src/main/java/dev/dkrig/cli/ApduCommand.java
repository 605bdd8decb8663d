package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dkrig apdu}: APDUs by hand through the rig's reader, as {@code scriptor} and {@code gp -a}
 * send them, each response with its status word explained. The reader is opened exactly as {@code
 * pair} opens it ({@link Bench#openPad}); the trace and pcapng writers are {@code pair}'s.
 */
@Command(
    name = "apdu",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Send APDUs through the rig's reader (the built-in virtual device, PC/SC, ACR122U, PN532)"
          + " and print each response with its status word explained.",
      "",
      "Order: the --select command, the APDU arguments, then the lines of each -f file. No GET"
          + " RESPONSE is sent on 61xx unless --get-response asks: in this protocol 61xx comes"
          + " only under secure messaging, where GET RESPONSE must be a MACed 84 C0 (contract"
          + " §3.2).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  dkrig apdu --select framework",
      "  dkrig apdu --rig rigs/pcsc.yaml -r 1 00A404000DA000000809434343444B46763100",
      "  dkrig apdu -f select.apdu --trace trace.txt --pcapng capture.pcapng",
      "  dkrig apdu --raw 00A4040005A000  # a wrong Lc, to see the device's 6700",
      "",
      "Exit codes:",
      "  0   every APDU was answered (whatever the status word)",
      "  2   usage error: malformed hex (the APDU and the character are named), Lc",
      "      disagreeing with the length (without --raw)",
      "  3   ERROR: no device within --wait, tag lost, timeout, reader or pcscd",
      "      unavailable",
      "  4   the rig file or an -f file cannot be read, the serial port is no serial",
      "      device, or an output path cannot be written",
      "  130 interrupted (Ctrl-C)"
    })
final class ApduCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "APDU",
      arity = "0..*",
      description = "An APDU in hex, e.g. 00A404000DA000000809434343444B46763100 (spaces allowed).")
  List<String> apdus = new ArrayList<>();

  @Option(
      names = "--rig",
      paramLabel = "FILE",
      description = "Bench set-up (default: the built-in virtual device).")
  Path rig;

  @Option(
      names = {"-r", "--reader"},
      paramLabel = "READER",
      description =
          "PC/SC reader: a number from 'dkrig readers' or a name fragment (3+ characters),"
              + " as for pair.",
      converter = RigOptions.ReaderHint.class)
  String reader;

  @Option(
      names = "--serial-port",
      paramLabel = "PATH",
      description = "The PN532 board's serial port (pn532-uart rigs), over the rig's port:.")
  String serialPort;

  @Option(
      names = "--select",
      paramLabel = "AID",
      description =
          "Send SELECT of the contract's framework or applet AID first (contract §3.1):"
              + " ${COMPLETION-CANDIDATES}.",
      completionCandidates = SelectTargets.class,
      converter = SelectConverter.class)
  CommandApdu select;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "A scriptor-style file: one APDU a line, # comments, 'reset' for an NFC reset; - reads"
              + " standard input. Repeatable.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--get-response",
      description =
          "On 61xx send a plain GET RESPONSE (00 C0 00 00 xx) until the data is complete, for"
              + " cards outside this protocol.")
  boolean getResponse;

  @Option(
      names = "--raw",
      description =
          "Send bytes as given even when they are no well-formed short APDU (an Lc that"
              + " disagrees with the length, an extended length), to test a device's 6700.")
  boolean raw;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description = "How long to wait for a device in the field (default: ${DEFAULT-VALUE}).")
  String wait = "10s";

  @Option(
      names = "--json",
      description =
          "Print the exchanges as one JSON document (dkrig-apdu/1) with their times, instead of"
              + " text.")
  boolean json;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description = "Write the APDU trace (>> / << with times), as pair does.")
  Path trace;

  @Option(
      names = "--pcapng",
      paramLabel = "FILE",
      description = "Write a pcapng capture for Wireshark, as pair does.")
  Path pcapng;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration patience;
    try {
      patience = Durations.parse(wait);
    } catch (IllegalArgumentException e) {
      throw usage("--wait: " + e.getMessage());
    }
    List<ApduScript.Item> items = new ArrayList<>();
    try {
      if (select != null) {
        items.add(ApduScript.of("--select", select));
      }
      for (int i = 0; i < apdus.size(); i++) {
        items.add(ApduScript.parse("APDU " + (i + 1), apdus.get(i), 1, raw));
      }
      for (String file : files) {
        Optional<List<String>> lines = lines(file, err);
        if (lines.isEmpty()) {
          return ExitCodes.CONFIGURATION;
        }
        items.addAll(ApduScript.file(file, lines.get(), raw));
      }
    } catch (ApduScript.MalformedApdu e) {
      throw usage(e.getMessage());
    }
    if (items.isEmpty()) {
      throw usage("nothing to send: give APDUs in hex, -f FILE or --select framework|applet");
    }

    PairRequest request =
        PairRequest.readerOnly(
            Optional.ofNullable(rig),
            Optional.ofNullable(reader),
            Optional.ofNullable(serialPort),
            Bench.defaultStateDirectory(),
            new RunListener() {},
            Preamble.capture(spec.commandLine().getParseResult().originalArgs(), System.getenv()));
    Bench bench;
    try {
      bench = Bench.load(request);
    } catch (ConfigException e) {
      return failed(out, err, ExitCodes.CONFIGURATION, "configuration error: " + e.getMessage());
    }
    // pair lets the rig decide and ignores what does not apply; a hand-sent APDU must not reach
    // another device than the one the user named.
    String rigName = bench.rig().source().displayName();
    if (reader != null && bench.rig().transport() != RigConfig.Transport.PCSC) {
      throw usage(
          "-r "
              + reader
              + ": "
              + rigName
              + " has no PC/SC reader (give --rig rigs/pcsc.yaml, or a rig of yours)");
    }
    if (serialPort != null && bench.rig().transport() != RigConfig.Transport.PN532_UART) {
      throw usage(
          "--serial-port: "
              + rigName
              + " has no PN532 board (give --rig rigs/pn532-uart.yaml, or a rig of yours)");
    }
    // Output paths are checked before the first APDU (issue 14): no exchange without its evidence.
    List<Preflight.Output> files = new ArrayList<>();
    if (trace != null) {
      files.add(Preflight.Output.file("--trace", trace));
    }
    if (pcapng != null) {
      files.add(Preflight.Output.file("--pcapng", pcapng));
    }
    List<Preflight.Output> inputs = DistinctOutputs.inputs("-f", this.files);
    inputs.addAll(DistinctOutputs.inputs("--rig", Collections.singletonList(rig)));
    DistinctOutputs.require(spec.commandLine(), files, inputs);
    Optional<Integer> refused =
        Preflight.checkRig(
                bench.rig(), Optional.ofNullable(reader), Optional.ofNullable(serialPort), err)
            .or(() -> Preflight.checkOutputs(files, err));
    if (refused.isPresent()) {
      return refused.get();
    }
    RigClock clock = RigClock.system();
    Duration apduTimeout =
        bench.timers().getOrDefault(TimerName.T_Apdu, TimerName.T_Apdu.defaultValue());
    NfcTransport transport = bench.openPad(clock, apduTimeout, SecureDraws.system()).transport();
    ReportOutputs outputs =
        new ReportOutputs(
            new ReportOutputs.Files(
                Optional.empty(),
                Optional.empty(),
                Optional.ofNullable(trace),
                Optional.empty(),
                Optional.ofNullable(pcapng),
                Optional.empty()),
            out,
            err);
    ApduSession session = new ApduSession(transport, clock, patience, out, err, json, getResponse);
    Thread runner = Thread.currentThread();
    InterruptHook interrupt = InterruptHook.install("dkrig-apdu-interrupt", 5, runner::interrupt);
    try {
      session.evidence =
          outputs.open(
              bench.metadata(transport.description()).preambleLines(),
              transport.description(),
              debug.on && trace == null ? Optional.of(err) : Optional.empty());
      if (outputs.failed()) {
        // Output paths are checked before the first APDU: no exchange without its evidence.
        session.error = Optional.of("nothing sent: an output file cannot be written");
      } else {
        session.run(items);
      }
    } catch (InterruptedException e) {
      session.error = Optional.of("interrupted");
    } catch (TransportException e) {
      session.error = Optional.of(e.kind().label() + ": " + e.getMessage());
    } finally {
      transport.close();
      outputs.close();
      interrupt.finished();
    }
    if (json) {
      out.print(JsonReport.text(session.document()));
    }
    out.flush();
    if (interrupt.signalled()) {
      err.println("dkrig: interrupted; the exchanges so far are above");
      err.flush();
      Main.exitingOnSignal();
      return ExitCodes.INTERRUPTED;
    }
    if (session.error.isPresent()) {
      err.println("dkrig: " + session.error.get());
      err.flush();
      return ExitCodes.ERROR;
    }
    if (outputs.failed()) {
      // A record that cannot be written makes the run ERROR, never a note.
      return ExitCodes.ERROR;
    }
    return ExitCodes.PASS;
  }

  /** The lines of an {@code -f} file, or empty after one line on stderr naming it. */
  private static Optional<List<String>> lines(String file, PrintWriter err) {
    try {
      if (file.equals("-")) {
        return Optional.of(
            new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
      }
      return Optional.of(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      String why = IoErrors.reason(e);
      err.println("dkrig: -f " + file + ": cannot read the APDU file: " + why);
      err.flush();
      return Optional.empty();
    }
  }

  /** A failure before the reader was opened: one line, and the JSON document if asked for. */
  private int failed(PrintWriter out, PrintWriter err, int code, String message) {
    err.println("dkrig: " + message);
    err.flush();
    if (json) {
      ObjectNode document = JSON.createObjectNode();
      document.put("schema", ApduSession.SCHEMA);
      document.putNull("reader");
      document.putArray("exchanges");
      document.put("error", message);
      out.print(JsonReport.text(document));
      out.flush();
    }
    return code;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** {@code --select framework|applet}: the contract's SELECT commands (§3.3, §3.4). */
  static final class SelectConverter implements CommandLine.ITypeConverter<CommandApdu> {
    @Override
    public CommandApdu convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "framework" -> FrameworkCommands.selectFramework();
        case "applet" -> FrameworkCommands.selectApplet();
        default ->
            throw new CommandLine.TypeConversionException(
                "expected framework or applet, got '" + value + "'");
      };
    }
  }

  /** The {@code --select} names for help and completion. */
  static final class SelectTargets implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return List.of("framework", "applet").iterator();
    }
  }
}
