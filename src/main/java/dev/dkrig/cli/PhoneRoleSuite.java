package dev.dkrig.cli;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.conformance.Operator;
import dev.dkrig.conformance.SuiteConsole;
import dev.dkrig.conformance.SuiteEvidence;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.conformance.SuiteOutcome;
import dev.dkrig.conformance.vehicle.ScenarioWire;
import dev.dkrig.conformance.vehicle.VehicleScenario;
import dev.dkrig.conformance.vehicle.VehicleSuite;
import dev.dkrig.conformance.vehicle.VehicleSuiteRunner;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.io.SafeText;
import dev.dkrig.phone.host.PhoneBench;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.report.Palette;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.RunContext;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * {@code dkrig suite --role phone}: the rig is the phone and tests a vehicle (issue 19 item 4).
 * Each scenario of a vehicle conformance suite puts a phone with one device quirk where {@code
 * dkrig phone} would put it (the pcscd reader slot of {@code --vpcd}, or the PN532 board of a phone
 * rig, through the same hosts and the same option checks) and judges the vehicle's reaction; the
 * documents are those of {@code suite} (dkrig-suite/1 with {@code "role": "phone"}, JUnit, {@code
 * --report-dir} evidence).
 */
final class PhoneRoleSuite {
  private final SuiteCommand command;
  private final CommandLine line;
  private final PrintWriter out;
  private final PrintWriter err;

  PhoneRoleSuite(SuiteCommand command) {
    this.command = command;
    this.line = command.spec.commandLine();
    this.out = line.getOut();
    this.err = line.getErr();
  }

  /** The options of the vehicle role only: refused with {@code --role phone} (exit 2). */
  static void refuseVehicleOptions(SuiteCommand c) {
    CommandLine line = c.spec.commandLine();
    if (!c.deviceQuirks.isEmpty()) {
      throw usage(line, "--device-quirk is for --role vehicle: each scenario names its own quirk");
    }
    if (c.repeat != 1) {
      throw usage(line, "--repeat is for --role vehicle (a vehicle's attempts are counted, §5.6)");
    }
    if (c.promptWait != null) {
      throw usage(line, "--prompt-wait needs --role vehicle");
    }
    if (c.rigOptions.profile != null || !c.rigOptions.readers.isEmpty()) {
      throw usage(
          line,
          (c.rigOptions.profile != null ? "--profile" : "-r (--reader)")
              + " needs --role vehicle: with --role phone the rig is a phone rig (--rig"
              + " rigs/phone-pn532.yaml, or --vpcd)");
    }
  }

  /** The options of the phone role only: refused with {@code --role vehicle} (exit 2). */
  static void refusePhoneOptions(SuiteCommand c) {
    CommandLine line = c.spec.commandLine();
    String given =
        c.vpcd.given()
            ? "--vpcd"
            : c.attemptWait != null
                ? "--wait"
                : !c.timers.isEmpty()
                    ? "--timer"
                    : c.freshVerifier
                        ? "--fresh-verifier"
                        : c.attemptsUsed != 0 ? "--attempts-used" : null;
    if (given != null) {
      throw usage(line, given + " needs --role phone (the rig is the phone and tests a vehicle)");
    }
  }

  int call() {
    refuseVehicleOptions(command);
    Map<String, Duration> timers = timers();
    Optional<Duration> wait = Optional.empty();
    if (command.attemptWait != null) {
      wait = Optional.of(duration("--wait", command.attemptWait));
    }
    if (command.attemptsUsed < 0 || command.attemptsUsed > 7) {
      throw usage(line, "--attempts-used must be 0..7 (§5.6: the vehicle locks at 7)");
    }
    VehicleSuite suite;
    ConfigSource source;
    try {
      source = ConfigNames.fromEnvironment().suite(command.file);
      suite = VehicleSuite.load(source);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    if (!command.only.isEmpty()) {
      try {
        suite = suite.only(command.only.stream().map(String::strip).toList());
      } catch (IllegalArgumentException e) {
        throw usage(line, "--only: " + e.getMessage());
      }
    }
    if (command.list) {
      return list(suite);
    }
    PhonePlace.check(line, command.vpcd, command.rigOptions.rig, command.serialPort);
    PhonePlace.requireInsecure(
        line, command.seeds.seed != null, false, command.seeds.insecureRandomness);
    PhoneBench.Request request = request();
    PhoneBench bench;
    try {
      bench = PhoneBench.load(request);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    PhonePlace.checkRig(line, request, bench.rig());
    Optional<Integer> refused =
        PhonePlace.checkPort(request, bench, err)
            .or(
                () ->
                    Preflight.checkOutputs(
                        Preflight.summary(
                            command.outputs.reportDir, command.outputs.json, command.outputs.junit),
                        err));
    if (refused.isPresent()) {
      return refused.get();
    }
    boolean jsonToStdout = command.outputs.jsonToStdout();
    boolean terminal = System.console() != null;
    Palette palette =
        Palette.of(command.colour.when(line), terminal && !jsonToStdout, System.getenv());
    PrintWriter table = jsonToStdout ? err : out;
    try (PhoneHost host = PhonePlace.host(line, bench, this::note)) {
      // The board is opened before the first scenario (its port was checked above, exit 4): one
      // that cannot be opened or does not answer ends the suite here as a bench unavailable (3).
      host.open();
      Optional<String> failure = host.failure();
      if (failure.isPresent()) {
        err.println("dkrig: " + failure.get());
        err.flush();
        return ExitCodes.ERROR;
      }
      return run(suite, bench, host, timers, wait, palette, table, terminal);
    }
  }

  private int run(
      VehicleSuite suite,
      PhoneBench bench,
      PhoneHost host,
      Map<String, Duration> timers,
      Optional<Duration> wait,
      Palette palette,
      PrintWriter table,
      boolean terminal) {
    RigClock clock = RigClock.system();
    RunContext wire = RunContext.fedByListener();
    String reader = host.description() + " (the rig is the phone)";
    Optional<SuiteEvidence> evidence =
        Optional.ofNullable(command.outputs.reportDir)
            .map(
                dir ->
                    new SuiteEvidence(
                        dir,
                        wire,
                        clock,
                        () -> bench.metadata(reader).preambleLines(),
                        () -> reader,
                        out,
                        err));
    SuiteConsole console =
        new SuiteConsole(
            table, err, palette, command.consoleOptions.quiet, command.consoleOptions.verbose());
    SuiteListener listener =
        evidence.isPresent() ? SuiteListener.all(List.of(evidence.get(), console)) : console;
    Operator operator =
        Operator.console(
            err,
            terminal
                ? Optional.of(
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
                : Optional.empty(),
            Duration.ZERO,
            clock);
    Map<String, Duration> rigTimers = new LinkedHashMap<>();
    bench.rig().timers().forEach((name, value) -> rigTimers.put(name.name(), value));
    VehicleSuiteRunner.Options options =
        new VehicleSuiteRunner.Options(
                timers, wait, command.freshVerifier, command.attemptsUsed, terminal)
            .withRig(rigTimers, bench.rig().phase4Wait());
    Thread worker = Thread.currentThread();
    InterruptHook interrupt = InterruptHook.install("dkrig-suite-interrupt", 10, worker::interrupt);
    try {
      SuiteOutcome outcome =
          SuiteCommand.runUntilSignal(
              () ->
                  new VehicleSuiteRunner(
                          suite,
                          host,
                          phones(bench.device()),
                          clock,
                          operator,
                          listener,
                          options,
                          ScenarioWire.of(wire))
                      .run(),
              interrupt);
      console.summary(outcome);
      evidence.ifPresent(SuiteEvidence::close);
      boolean written =
          SuiteCommand.writeReports(
              outcome,
              bench.metadata(reader),
              List.of(),
              Optional.of(VehicleSuite.ROLE),
              command.outputs,
              out,
              err);
      return SuiteCommand.exitCode(outcome, written, evidence, interrupt, "scenarios", table, err);
    } finally {
      interrupt.finished();
    }
  }

  /** A line from the host (link up, board armed, the phone leaving the field): -v only. */
  private void note(String text) {
    if (command.consoleOptions.verbose()) {
      err.println("  note  " + SafeText.line(text));
      err.flush();
    }
  }

  /** A fresh phone per scenario; every draw from SecureRandom unless --seed was allowed. */
  private Function<DeviceQuirk, VirtualDevice> phones(DeviceSettings device) {
    AtomicLong index = new AtomicLong();
    return quirk -> {
      Draws draws =
          command.seeds.seed != null
              ? SecureDraws.seeded(command.seeds.seed + index.getAndIncrement())
              : SecureDraws.system();
      return new VirtualDevice(
          device.withQuirks(Set.of(quirk)), draws, RigClock.system(), RigClock.system());
    };
  }

  /**
   * The options as {@code dkrig phone} hands them to its bench; the suite judges its own timers.
   */
  private PhoneBench.Request request() {
    return new PhoneBench.Request(
        command.rigOptions.rig(),
        Optional.ofNullable(command.vpcd.vpcd),
        Optional.ofNullable(command.serialPort),
        Map.of(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        command.dut.dut(),
        command.seeds.seed(),
        false,
        Preamble.capture(line.getParseResult().originalArgs(), System.getenv()));
  }

  private int list(VehicleSuite suite) {
    out.println(
        "suite "
            + suite.name()
            + " ("
            + suite.source().displayName()
            + "), role phone: "
            + suite.entries().size()
            + " scenario(s)");
    for (VehicleSuite.Entry entry : suite.entries()) {
      VehicleScenario s = entry.scenario();
      StringBuilder settings = new StringBuilder();
      entry
          .timers()
          .forEach(
              (k, v) -> settings.append(' ').append(k).append('=').append(Durations.compact(v)));
      entry
          .phase4Wait()
          .ifPresent(w -> settings.append(" phase4Wait=").append(Durations.compact(w)));
      out.println("  " + s.name() + "  " + s.title() + settings);
      out.println("      phone does: " + s.deviation());
      out.println("      vehicle must: " + s.requiredReaction());
    }
    out.flush();
    return ExitCodes.PASS;
  }

  private Map<String, Duration> timers() {
    Map<String, Duration> out = new LinkedHashMap<>();
    for (String entry : command.timers) {
      int eq = entry.indexOf('=');
      if (eq < 1) {
        throw usage(line, "--timer expects NAME=DURATION, e.g. T_Apdu=5s (got '" + entry + "')");
      }
      TimerName name;
      try {
        name = TimerName.parse(entry.substring(0, eq).strip());
      } catch (IllegalArgumentException e) {
        throw usage(line, "--timer " + entry + ": " + e.getMessage());
      }
      Duration value = duration("--timer " + name, entry.substring(eq + 1).strip());
      if (value.isZero()) {
        throw usage(line, "--timer " + entry + ": must be positive");
      }
      out.put(name.name(), value);
    }
    return out;
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage(line, option + ": " + e.getMessage());
    }
  }

  private static CommandLine.ParameterException usage(CommandLine line, String message) {
    return new CommandLine.ParameterException(line, message);
  }
}
