package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.report.ConsoleProgress;
import dev.dkrig.report.ConsoleReport;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Palette;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.report.TurnaroundSummary;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dkrig pair}: owner pairing, phases 1 to 4, one result per catalogue step. */
@Command(
    name = "pair",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Play the car's Digital Key module: check the SPAKE2+ verifier, enter pairing mode, pair the"
          + " device on the pad as owner over NFC, run the applet's standard transaction and the"
          + " key-tracking finalisation, and report one result per step of the use case.",
      "",
      "Without --rig and --profile it pairs against the built-in virtual device"
          + " (rigs/virtual.yaml) as the test vehicle of profiles/default.yaml.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  dkrig pair",
      "  dkrig pair --json report.json --dut \"Pixel 9 / build 1234\"",
      "  dkrig pair --device-password 87654321   # wrong-password FAIL at P2.3",
      "  dkrig pair --timer T_OwnerPairing=2s --no-phase4",
      "",
      "Exit codes:",
      "  0   PASS: every gating step passed",
      "  1   FAIL: the device under test misbehaved (a gating step FAILed)",
      "  2   usage error",
      "  3   ERROR: bench unavailable or run inconclusive (reader, tag lost, rig fault)",
      "  4   configuration error found before the first APDU (rig or profile file,",
      "      output path, state folder)",
      "  70  internal error (a bug in dkrig: report it with the --debug output)",
      "  130 interrupted (SIGINT, Ctrl-C): the current step ends ERROR, later steps SKIPPED,"
          + " every report written",
      "  143 terminated (SIGTERM, e.g. a cancelled CI job): the same as 130",
      "",
      "Environment: NO_COLOR disables colour; DKRIG_STATE_DIR sets the state directory."
    })
final class PairCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

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
              + " Repeat it to pair on several pads at once, one process each.")
  List<String> readers = new java.util.ArrayList<>();

  @Option(
      names = "--all-readers",
      description = "Pair on every PC/SC reader at once (those not ignored), one process each.")
  boolean allReaders;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description =
          "Run N pairings one after the other (a soak), then a summary: pass count, step-time and"
              + " turnaround percentiles. With --report-dir each run gets a folder.")
  int repeat = 1;

  @Option(
      names = "--parallel",
      paramLabel = "K",
      description =
          "With --repeat and the virtual device: K pairings side by side (throughput, in"
              + " pairings per second).")
  int parallel = 1;

  @Option(
      names = "--serial-port",
      paramLabel = "PATH",
      description = "The PN532 board's serial port (pn532-uart rigs), over the rig's port:.")
  String serialPort;

  @Option(
      names = "--ble-adapter",
      paramLabel = "NAME",
      description =
          "Advertise in pairing mode on this BlueZ adapter (e.g. hci0): turns BLE on."
              + " Default: the rig's ble/bleAdapter, or $DKRIG_BLE_ADAPTER.")
  String bleAdapter;

  @Option(
      names = "--json",
      paramLabel = "FILE|-",
      description = "Write the JSON report (dkrig-report/1) to FILE, or to stdout with -.")
  String json;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "Write a JUnit XML report: one testcase per step (for Jenkins).")
  Path junit;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write the APDU trace (>> / << with times, secure-channel plaintext annotated)."
              + " --debug prints it on stderr.")
  Path trace;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description = "Write events as JSON lines as they happen (§15 events, steps, advertising).")
  Path events;

  @Option(
      names = "--pcapng",
      paramLabel = "FILE",
      description =
          "Write a pcapng capture (ISO 14443 APDUs, step comments) for Wireshark (read it with"
              + " tshark -r FILE -d iso14443.subdissector,iso7816)")
  Path pcapng;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "Write one self-contained HTML page (verdict, steps, timing charts, APDUs, preamble).")
  Path html;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description =
          "Write every evidence file into DIR: report.json, junit.xml, capture.pcapng, trace.txt,"
              + " events.jsonl and report.html (run.dump only with --with-dump). An explicit"
              + " --json, --junit, ... still wins for its own file.")
  Path reportDir;

  @Option(
      names = "--with-dump",
      description =
          "With --report-dir: also write run.dump there. A dump is a secret (it recomputes every"
              + " session key of the run): keep it out of evidence handed to others.")
  boolean withDump;

  @Option(
      names = "--device-password",
      paramLabel = "DIGITS",
      description = "Set the virtual device's password (e.g. to provoke a mismatch).")
  String devicePassword;

  @Option(
      names = "--device-quirk",
      paramLabel = "NAME",
      description =
          "Make the virtual device misbehave in a named way (repeatable): ${COMPLETION-CANDIDATES}.",
      converter = QuirkConverter.class,
      completionCandidates = QuirkNames.class)
  List<DeviceQuirk> deviceQuirks = new ArrayList<>();

  @Option(
      names = "--timer",
      paramLabel = "NAME=DURATION",
      completionCandidates = Candidates.TimerAssignments.class,
      description =
          "Override a §13 timer, e.g. T_OwnerPairing=30s, T_KtsPollInterval=50ms. Repeatable.")
  List<String> timers = new ArrayList<>();

  @Option(names = "--no-phase4", description = "Skip phase 4 (the key-tracking receipt).")
  boolean noPhase4;

  @Option(
      names = "--dut",
      paramLabel = "LABEL",
      description = "A label for the device under test, carried into the reports.")
  String dut;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State directory (attempt counters, DK records). Default: $DKRIG_STATE_DIR or ~/.local/state/dkrig.")
  Path stateDir;

  @Option(
      names = "--test-mode",
      description =
          "Contract §18.2 test mode: T1's fixed random values and clocks (reproduces the T1 transcript against the virtual device).")
  boolean testMode;

  @Option(
      names = "--dump",
      paramLabel = "FILE",
      description =
          "Record the run for 'dkrig replay FILE': every exchange and every value the run drew."
              + " The file is a secret (owner-only): it recomputes every session key of the run.")
  Path dump;

  @Option(
      names = "--inject-fault",
      paramLabel = "KIND@N",
      completionCandidates = Candidates.FaultKinds.class,
      description =
          "Inject a fault at the N-th C-APDU of the run (from 1; GET RESPONSE and phase 4 count,"
              + " reader pseudo-APDUs do not). KIND: tag-lost, timeout, truncate, flip-byte,"
              + " wrong-sw, duplicate, delay:DURATION (e.g. delay:200ms). Repeatable.")
  List<String> injectFaults = new java.util.ArrayList<>();

  @Option(
      names = "--reveal-secrets",
      description =
          "Write the session keys and derived secrets (w0, SPAKE2+ keys, SystemKeys, transaction"
              + " keys) into the trace and the JSON report, for lab debugging. The files become"
              + " confidential.")
  boolean revealSecrets;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "One seeded generator for every random draw (vehicle and virtual device): same seed,"
              + " same bytes, timestamps aside. Anyone who knows the seed can recompute the"
              + " session keys. Virtual rig only, unless --insecure-randomness.")
  Long seed;

  @Option(
      names = "--insecure-randomness",
      description =
          "Allow --seed and --test-mode on a rig that talks to a real reader (a bench whose"
              + " reader holds a virtual device): the session keys become predictable.")
  boolean insecureRandomness;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the verdict.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "More output on stderr (bench notes, events). Repeatable.")
  boolean[] verbose = new boolean[0];

  @Option(
      names = "--debug",
      description = "APDU trace on stderr, stack traces for internal errors.")
  boolean debug;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto, always or never (default: ${DEFAULT-VALUE}).")
  String color = "auto";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    color = color.toLowerCase(java.util.Locale.ROOT);
    if (!List.of("auto", "always", "never").contains(color)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--color must be auto, always or never");
    }
    if (quiet && verbose.length > 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "-q (quiet) and -v (verbose) contradict each other: give one");
    }
    if (devicePassword != null && !devicePassword.matches("[0-9]{8}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--device-password must be 8 digits 0-9");
    }
    faults();
    if (repeat < 1 || parallel < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--repeat and --parallel take a number from 1");
    }
    if (parallel > repeat) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--parallel " + parallel + " needs --repeat " + parallel + " or more");
    }
    if (readers.size() > 1 || allReaders) {
      return new Pads(this, out, err).run();
    }
    if (repeat > 1) {
      return new Campaign(this, out, err).run();
    }
    Map<TimerName, Duration> overrides = parseTimers();
    boolean jsonToStdout = "-".equals(json);
    boolean terminal = System.console() != null;
    Palette palette = Palette.of(color, terminal && !jsonToStdout, System.getenv());
    PrintWriter table = jsonToStdout ? err : out;
    ConsoleProgress progress =
        new ConsoleProgress(
            err,
            terminal && !quiet,
            quiet ? -1 : verbose.length,
            debug && (trace != null || reportDir != null));

    List<dev.dkrig.pairing.RunListener> listeners = new java.util.ArrayList<>();
    listeners.add(progress);
    PairRequest request =
        request(overrides, dumpFile(), dev.dkrig.pairing.RunListener.all(listeners));
    ReportOutputs outputs =
        new ReportOutputs(
            new ReportOutputs.Files(
                json != null
                    ? Optional.of(json)
                    : inDir(null, EvidenceFiles.JSON).map(Path::toString),
                inDir(junit, EvidenceFiles.JUNIT),
                inDir(trace, EvidenceFiles.TRACE),
                inDir(events, EvidenceFiles.EVENTS),
                inDir(pcapng, EvidenceFiles.PCAPNG),
                inDir(html, EvidenceFiles.HTML)),
            out,
            err);

    Bench bench;
    Bench.Run run;
    try {
      bench = Bench.load(request);
      requireSecureRandomness(bench);
      Optional<Integer> refused =
          Preflight.check(Preflight.singleRun(this), request.stateDirectory(), err);
      if (refused.isPresent()) {
        return refused.get();
      }
      run = bench.prepare();
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      outputs.json(
          JsonReport.notRun(
              Bench.metadataWithoutFiles(request),
              "ERROR",
              "configuration error: " + e.getMessage()));
      return ExitCodes.CONFIGURATION;
    }
    if (revealSecrets) {
      err.println(
          "dkrig: WARNING: --reveal-secrets: session keys and derived secrets go into the trace"
              + " and the JSON report. Treat those files as confidential.");
      run.pairing().revealSecrets(true);
      outputs.sensitive(true);
    }
    RunMetadata before = run.metadata();
    listeners.add(
        outputs.open(
            before.preambleLines(),
            before.reader(),
            debug && trace == null && reportDir == null ? Optional.of(err) : Optional.empty(),
            run.wire()));
    // Ctrl-C or SIGTERM: the run ends its current step as ERROR, stops polling and advertising and
    // writes its reports; the hook waits for that, then the JVM exits (130 or 143).
    Thread runner = Thread.currentThread();
    InterruptHook interrupt = InterruptHook.install("dkrig-interrupt", 10, runner::interrupt);
    PairingOutcome outcome = null;
    try {
      outcome = run.execute();
      progress.finish();
      outputs.finish(outcome, run.metadata(), run.apdus());
      // Before the hook lets the JVM go (issue 15): a signal's verdict line reaches the console
      // whether stdout is a terminal, a pipe or a file.
      ConsoleReport.print(
          outcome,
          Optional.of(TurnaroundSummary.of(run.apdus())),
          interrupt.signal(),
          palette,
          quiet,
          table);
      if (interrupt.signalled()) {
        err.println("dkrig: interrupted; the report shows the run up to the interruption");
        err.flush();
        Main.exitingOnSignal();
        return interrupt.exitCode();
      }
    } finally {
      if (outcome == null) {
        progress.finish();
        outputs.close();
      }
      interrupt.finished();
    }
    if (outcome.internalError().isPresent()) {
      err.println("dkrig: internal error: " + outcome.internalError().get());
      if (debug) {
        outcome.internalError().get().printStackTrace(err);
      } else {
        err.println("Re-run with --debug and report the output.");
      }
      return ExitCodes.INTERNAL;
    }
    return Preflight.incompleteEvidence(outputs.failures(), err)
        .orElse(ExitCodes.of(outcome.verdict()));
  }

  /**
   * {@code --dump FILE}, else {@code run.dump} in {@code --report-dir} with {@code --with-dump}.
   */
  Optional<Path> dumpFile() {
    if (dump != null) {
      return Optional.of(dump);
    }
    return withDump ? inDir(null, EvidenceFiles.DUMP) : Optional.empty();
  }

  /** {@code --seed} and {@code --test-mode} on this bench (see {@link Preflight}). */
  void requireSecureRandomness(Bench bench) {
    Preflight.requireSecureRandomness(
        spec.commandLine(), bench.rig().transport(), seed != null, testMode, insecureRandomness);
  }

  /** The request these options describe, with its dump and listener. */
  PairRequest request(
      Map<TimerName, Duration> overrides,
      Optional<Path> dumpFile,
      dev.dkrig.pairing.RunListener listener) {
    return new PairRequest(
        Optional.ofNullable(rig),
        Optional.ofNullable(profile),
        readers.isEmpty() ? Optional.empty() : Optional.of(readers.get(0)),
        Optional.ofNullable(serialPort),
        Optional.ofNullable(bleAdapter),
        Optional.ofNullable(devicePassword),
        deviceQuirks.isEmpty() ? java.util.Set.of() : java.util.EnumSet.copyOf(deviceQuirks),
        overrides,
        noPhase4,
        Optional.ofNullable(dut),
        stateDir != null ? stateDir : Bench.defaultStateDirectory(),
        testMode,
        seed == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(seed),
        dumpFile,
        listener,
        Preamble.capture(spec.commandLine().getParseResult().originalArgs(), System.getenv()),
        faults());
  }

  /** {@code --inject-fault} parsed; a bad spec is a usage error naming it (exit 2). */
  List<dev.dkrig.transport.FaultInjectingTransport.Fault> faults() {
    try {
      return dev.dkrig.transport.FaultInjectingTransport.Fault.parseAll(injectFaults);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Several runs: each option naming a file of one run is a usage error (exit 2), saying so. */
  void refuseSingleRunFiles(String instead) {
    for (String option : List.of("--trace", "--events", "--pcapng", "--html", "--dump")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), option + " records one run; " + instead);
      }
    }
  }

  /** The explicit file if given, else its standard name inside {@code --report-dir}, if given. */
  Optional<Path> inDir(Path explicit, String standardName) {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    return Optional.ofNullable(reportDir).map(dir -> dir.resolve(standardName));
  }

  /** Quirk names as the command line spells them. */
  static final class QuirkConverter implements CommandLine.ITypeConverter<DeviceQuirk> {
    @Override
    public DeviceQuirk convert(String value) {
      try {
        return DeviceQuirk.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The quirk names for help and completion. */
  static final class QuirkNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(DeviceQuirk.values()).map(DeviceQuirk::cliName).iterator();
    }
  }

  Map<TimerName, Duration> parseTimers() {
    Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
    for (String entry : timers) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--timer expects NAME=DURATION, e.g. T_OwnerPairing=30s (got '" + entry + "')");
      }
      try {
        out.put(TimerName.parse(entry.substring(0, eq)), Durations.parse(entry.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--timer " + entry + ": " + e.getMessage());
      }
    }
    return out;
  }
}
