package dev.dkrig.cli;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.phone.PhoneSettings;
import dev.dkrig.phone.host.PhoneBench;
import dev.dkrig.report.Preamble;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dkrig phone}: the rig plays the phone (the virtual device) against a vehicle under test
 * and judges the vehicle from the phone's side, one result per catalogue step (docs/phone-role.md).
 * This class checks the options; {@link PhoneSession} runs the pairings.
 */
@Command(
    name = "phone",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Play the phone: dkrig's virtual device answers a vehicle under test (the car's pad reader"
          + " and Digital Key module) for one owner pairing, and exits by itself when the pairing"
          + " ends.",
      "",
      "The verdicts are given from the phone's side about the vehicle under test: one result per"
          + " step of the same 42-step catalogue as dkrig pair, PASS when the vehicle sent what the"
          + " contract says a vehicle sends, in order, and reacted as it must (docs/phone-role.md)."
          + " --dut names the vehicle.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  dkrig phone --vpcd                 # then, in another terminal:",
      "  dkrig pair --rig rigs/pcsc.yaml",
      "  dkrig phone --vpcd --dut \"Car X / DK module 2.1\" --report-dir evidence/",
      "  dkrig phone --vpcd --device-quirk bad-endpoint-signature   # must abort 00 0B",
      "  dkrig phone --rig rigs/phone-pn532.yaml --serial-port /dev/ttyUSB0 \\",
      "      --timer T_TxGap=50ms",
      "",
      "Exit codes:",
      "  0   PASS: the vehicle did what the contract says (with a quirk: reacted as",
      "      required)",
      "  1   FAIL: the vehicle under test misbehaved",
      "  2   usage error",
      "  3   ERROR: the phone's own transport failed (vpcd, PN532), no vehicle reached",
      "      the phone, or an evidence file could not be written",
      "  4   configuration error found before the first contact (rig file, serial port,",
      "      output path)",
      "  70  internal error (a bug in dkrig: report it with the --debug output)",
      "  130 interrupted (SIGINT), 143 terminated (SIGTERM): every report written so",
      "      far stays"
    })
final class PhoneCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin VpcdOption vpcd = new VpcdOption();

  @Option(
      names = "--rig",
      paramLabel = "RIG",
      description =
          "A phone rig (a name or a file): the transport, the phone's device: section and the"
              + " phone: section (the vehicle's timers, the phase-4 wait). Default with --vpcd:"
              + " rigs/phone-vpcd.yaml.")
  Path rig;

  @Option(
      names = "--serial-port",
      paramLabel = "PATH",
      description = "The PN532 board's serial port (pn532-uart phone rigs), over the rig's port:.")
  String serialPort;

  @Option(
      names = "--timer",
      paramLabel = "NAME=DURATION",
      completionCandidates = Candidates.TimerAssignments.class,
      description =
          "A §13 timer of the vehicle to judge against, e.g. T_TxGap=50ms (repeatable; wins over"
              + " the rig's phone: section). A timer not given is measured, never judged.")
  List<String> timers = new ArrayList<>();

  @Option(
      names = "--phase4-wait",
      paramLabel = "DURATION",
      description =
          "How long to wait for each phase-4 transaction after P3.4 (default 30s); none is a"
              + " FAIL of P4.1.")
  String phase4Wait;

  @Option(names = "--no-phase4", description = "End after P3.4; the phase-4 steps are SKIPPED.")
  boolean noPhase4;

  @Option(
      names = "--device-quirk",
      paramLabel = "NAME",
      description =
          "Misbehave on purpose so that the vehicle's reaction is judged: ${COMPLETION-CANDIDATES}.",
      converter = PhoneQuirk.class,
      completionCandidates = AcceptedQuirks.class)
  DeviceQuirk deviceQuirk;

  @Mixin DutOption dut = new DutOption();

  @Option(
      names = "--device-password",
      paramLabel = "DIGITS",
      description = "The phone's password (8 digits), over the rig's.")
  String devicePassword;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description =
          "N pairings one after another, the phone staying in the field; with --report-dir each"
              + " gets a folder run-0001/ ...")
  int repeat = 1;

  @Mixin OutputOptions outputs = new OutputOptions();

  @Mixin EvidenceFileOptions evidence = new EvidenceFileOptions();

  @Option(
      names = "--dump",
      paramLabel = "FILE",
      description = "Not available in the phone role yet (exit 2): a phone run is not recorded.")
  Path dump;

  @Option(names = "--with-dump", description = "Not available in the phone role yet (exit 2).")
  boolean withDump;

  @Option(
      names = "--test-mode",
      description =
          "Contract §18.2 test mode for the phone: T1's fixed draws and clocks (with"
              + " --insecure-randomness only).")
  boolean testMode;

  @Mixin SeedOptions seeds = new SeedOptions();

  @Option(
      names = "--reveal-secrets",
      description =
          "Mark the evidence confidential (owner-only trace); the phone role writes no session key"
              + " into it yet.")
  boolean revealSecrets;

  @Mixin ConsoleOptions console = new ConsoleOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Mixin ColorOption colour = new ColorOption();

  @Override
  public Integer call() {
    CommandLine line = spec.commandLine();
    String color = colour.when(line);
    console.check(line);
    PhoneBench.Request request = request(line);
    RunFiles files = evidence.files(outputs, null, false);
    DistinctOutputs.require(
        line, files.outputs(), DistinctOutputs.inputs("--rig", Collections.singletonList(rig)));
    if (repeat > 1) {
      EvidenceFileOptions.refuseForSeveralRuns(
          line,
          List.of("--json", "--junit", "--trace", "--events", "--pcapng", "--html"),
          " records one pairing; with --repeat use --report-dir DIR");
    }
    return new PhoneSession(
            request,
            files,
            repeat,
            new SinglePairing.Console(console.quiet, console.verbosity(), color),
            revealSecrets,
            debug.on,
            line)
        .run();
  }

  /** The options as the bench takes them; every mistake a parser cannot catch is exit 2. */
  private PhoneBench.Request request(CommandLine line) {
    PhonePlace.check(line, vpcd, rig, serialPort);
    if (dump != null || withDump) {
      throw usage(
          (dump != null ? "--dump" : "--with-dump")
              + ": a phone run cannot be recorded yet (dkrig replay replays the vehicle role)");
    }
    if (devicePassword != null && !devicePassword.matches("[0-9]{8}")) {
      throw usage("--device-password must be 8 digits 0-9");
    }
    if (repeat < 1) {
      throw usage("--repeat takes a number from 1");
    }
    PhonePlace.requireInsecure(line, seeds.seed != null, testMode, seeds.insecureRandomness);
    Map<TimerName, Duration> given = PairCommand.parseTimers(line, timers);
    given.forEach(
        (name, value) -> {
          if (value.isZero() || value.isNegative()) {
            throw usage("--timer " + name + " must be more than 0");
          }
        });
    return new PhoneBench.Request(
        Optional.ofNullable(rig),
        Optional.ofNullable(vpcd.vpcd),
        Optional.ofNullable(serialPort),
        given,
        Optional.ofNullable(phase4Wait).map(this::positive),
        noPhase4,
        Optional.ofNullable(deviceQuirk),
        Optional.ofNullable(devicePassword),
        dut.dut(),
        seeds.seed(),
        testMode,
        Preamble.capture(line.getParseResult().originalArgs(), System.getenv()));
  }

  private Duration positive(String text) {
    Duration value;
    try {
      value = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage("--phase4-wait: " + e.getMessage());
    }
    if (value.isZero() || value.isNegative()) {
      throw usage("--phase4-wait must be more than 0");
    }
    return value;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** A quirk the phone role takes; any other name is a conversion error naming those it takes. */
  static final class PhoneQuirk implements CommandLine.ITypeConverter<DeviceQuirk> {
    @Override
    public DeviceQuirk convert(String value) {
      DeviceQuirk quirk;
      try {
        quirk = DeviceQuirk.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown device quirk '"
                + value
                + "'; the phone takes: "
                + String.join(", ", new AcceptedQuirks()));
      }
      try {
        PhoneSettings.checkQuirk(quirk);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
      return quirk;
    }
  }

  /** The quirks the phone role takes, for help and completion. */
  static final class AcceptedQuirks implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return PhoneSettings.acceptedQuirks().stream().map(DeviceQuirk::cliName).iterator();
    }
  }
}
