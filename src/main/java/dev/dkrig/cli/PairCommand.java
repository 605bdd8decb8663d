package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.report.Preamble;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.FaultInjectingTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "      serial port, output path, state folder)",
      "  70  internal error (a bug in dkrig: report it with the --debug output)",
      "  130 interrupted (SIGINT, Ctrl-C): the current step ends ERROR, later steps",
      "      SKIPPED, every report written",
      "  143 terminated (SIGTERM, e.g. a cancelled CI job): the same as 130",
      "",
      "Environment: NO_COLOR disables colour; DKRIG_STATE_DIR sets the state directory."
    })
final class PairCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin RigOptions rigOptions = new RigOptions();

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
              + " pairings per second). At most 256, and no more than the heap holds: each"
              + " pairing in flight holds two scrypt working sets (32 MiB each with the default"
              + " profile). Above the processors it warns: the device shares them, and an answer"
              + " the host made late past T_Apdu ends ERROR, not FAIL. A reader carries one"
              + " pairing at a time: several readers are -r A -r B.")
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
              + " Default: the rig's ble/bleAdapter, or $DKRIG_BLE_ADAPTER.",
      converter = RigOptions.BleAdapterName.class)
  String bleAdapter;

  @Mixin OutputOptions outputs = new OutputOptions();

  @Mixin EvidenceFileOptions evidence = new EvidenceFileOptions();

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
      names = "--vehicle-quirk",
      // Not NAME: picocli's bash completion keeps one value list per label.
      paramLabel = "QUIRK",
      description =
          "Make dkrig's own vehicle misbehave on purpose (repeatable), to prove a vehicle"
              + " conformance suite: ${COMPLETION-CANDIDATES}. The reports say so.",
      converter = VehicleQuirkConverter.class,
      completionCandidates = VehicleQuirkNames.class)
  List<VehicleQuirk> vehicleQuirks = new ArrayList<>();

  @Option(
      names = "--timer",
      paramLabel = "NAME=DURATION",
      completionCandidates = Candidates.TimerAssignments.class,
      description =
          "Override a §13 timer, e.g. T_OwnerPairing=30s, T_KtsPollInterval=50ms. Repeatable.")
  List<String> timers = new ArrayList<>();

  @Option(names = "--no-phase4", description = "Skip phase 4 (the key-tracking receipt).")
  boolean noPhase4;

  @Mixin DutOption dut = new DutOption();

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

  @Mixin SeedOptions seeds = new SeedOptions();

  @Mixin ConsoleOptions console = new ConsoleOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Mixin ColorOption colour = new ColorOption();

  @Override
  public Integer call() {
    dev.dkrig.bench.StartupMarks.mark("parsed");
    CommandLine line = spec.commandLine();
    PrintWriter out = line.getOut();
    PrintWriter err = line.getErr();
    String color = colour.when(line);
    console.check(line);
    if (devicePassword != null && !devicePassword.matches("[0-9]{8}")) {
      throw new CommandLine.ParameterException(line, "--device-password must be 8 digits 0-9");
    }
    faults();
    if (!vehicleQuirks.isEmpty() && (dump != null || withDump)) {
      // A dump replays a vehicle that follows the contract; it does not record the quirks.
      throw new CommandLine.ParameterException(
          line, "--vehicle-quirk runs cannot be recorded: drop --dump or --with-dump");
    }
    if (withDump && outputs.reportDir == null && dump == null) {
      // Without a report folder --with-dump wrote nothing and said nothing.
      throw new CommandLine.ParameterException(
          line, "--with-dump writes run.dump into --report-dir DIR: give one (or --dump FILE)");
    }
    if (repeat < 1 || parallel < 1) {
      throw new CommandLine.ParameterException(
          line,
          (repeat < 1 ? "--repeat " + repeat : "--parallel " + parallel)
              + ": --repeat and --parallel take a number from 1");
    }
    if (parallel > repeat) {
      throw new CommandLine.ParameterException(
          line, "--parallel " + parallel + " needs --repeat " + parallel + " or more");
    }
    RunFiles files = files();
    DistinctOutputs.require(line, files.outputs(), rigOptions.inputs());
    DistinctOutputs.requireOutsideState(
        line,
        files.outputs(),
        stateDir != null
            ? "--state-dir"
            : System.getenv("DKRIG_STATE_DIR") != null
                ? "DKRIG_STATE_DIR"
                : "the default state folder",
        stateDir != null ? stateDir : Bench.defaultStateDirectory());
    if (rigOptions.readers.size() > 1 || allReaders) {
      if (allReaders && !rigOptions.readers.isEmpty()) {
        throw new CommandLine.ParameterException(
            line, "give -r READER... or --all-readers, not both");
      }
      refuseSingleRunFiles("with several pads use --report-dir DIR");
      if (files.jsonToStdout() || parallel > 1) {
        throw new CommandLine.ParameterException(
            line,
            files.jsonToStdout()
                ? "--json - prints one report; with several pads use --json FILE for the summary"
                : "--parallel is for virtual devices; the pads already run side by side");
      }
      return new Pads(job(), files, rigOptions.readers, console.verbose(), line, out, err).run();
    }
    if (repeat > 1) {
      refuseSingleRunFiles("with --repeat every run's files go under --report-dir DIR");
      if (files.jsonToStdout()) {
        throw new CommandLine.ParameterException(
            line, "--json - prints one report; with --repeat use --json FILE for the summary");
      }
      return new RepeatRuns(
              job(), parallel, files, console.quiet, console.verbose(), line, out, err)
          .run();
    }
    return new SinglePairing(
            job(),
            files,
            new SinglePairing.Console(console.quiet, console.verbosity(), color),
            line,
            out,
            err)
        .run();
  }

  /** The evidence options. */
  private RunFiles files() {
    return evidence.files(outputs, dump, withDump);
  }

  /** What these options run: the bench's request (no dump, no listener yet) and the switches. */
  PairJob job() {
    PairRequest request =
        new PairRequest(
            rigOptions.rig(),
            rigOptions.profile(),
            rigOptions.reader(),
            Optional.ofNullable(serialPort),
            Optional.ofNullable(bleAdapter),
            Optional.ofNullable(devicePassword),
            deviceQuirks.isEmpty() ? Set.of() : EnumSet.copyOf(deviceQuirks),
            vehicleQuirks.isEmpty() ? Set.of() : EnumSet.copyOf(vehicleQuirks),
            parseTimers(),
            noPhase4,
            dut.dut(),
            stateDir != null ? stateDir : Bench.defaultStateDirectory(),
            testMode,
            seeds.seed(),
            Optional.empty(),
            new RunListener() {},
            Preamble.capture(spec.commandLine().getParseResult().originalArgs(), System.getenv()),
            faults());
    return new PairJob(
        request, repeat, revealSecrets, seeds.insecureRandomness, withDump, debug.on);
  }

  /** {@code --inject-fault} parsed; a bad spec is a usage error naming it (exit 2). */
  private List<FaultInjectingTransport.Fault> faults() {
    try {
      return FaultInjectingTransport.Fault.parseAll(injectFaults);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Several runs: each option naming a file of one run is a usage error (exit 2), saying so. */
  private void refuseSingleRunFiles(String instead) {
    EvidenceFileOptions.refuseForSeveralRuns(
        spec.commandLine(),
        List.of("--trace", "--events", "--pcapng", "--html", "--dump"),
        " records one run; " + instead);
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

  /** Vehicle quirk names as the command line spells them. */
  static final class VehicleQuirkConverter implements CommandLine.ITypeConverter<VehicleQuirk> {
    @Override
    public VehicleQuirk convert(String value) {
      try {
        return VehicleQuirk.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The vehicle quirk names for help and completion. */
  static final class VehicleQuirkNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(VehicleQuirk.values()).map(VehicleQuirk::cliName).iterator();
    }
  }

  private Map<TimerName, Duration> parseTimers() {
    return parseTimers(spec.commandLine(), timers);
  }

  /** {@code --timer NAME=DURATION}s, as {@code pair} and {@code phone} take them; bad: exit 2. */
  static Map<TimerName, Duration> parseTimers(CommandLine line, List<String> timers) {
    Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
    for (String entry : timers) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            line, "--timer expects NAME=DURATION, e.g. T_OwnerPairing=30s (got '" + entry + "')");
      }
      TimerName name;
      Duration value;
      try {
        name = TimerName.parse(entry.substring(0, eq));
        value = Durations.parse(entry.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(line, "--timer " + entry + ": " + e.getMessage());
      }
      if (value.isZero() && !name.mayBeZero()) {
        throw new CommandLine.ParameterException(line, "--timer " + name + " must be more than 0");
      }
      out.put(name, value);
    }
    return out;
  }
}
