package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.conformance.BenchSuiteBench;
import dev.dkrig.conformance.Operator;
import dev.dkrig.conformance.Suite;
import dev.dkrig.conformance.SuiteConsole;
import dev.dkrig.conformance.SuiteEvidence;
import dev.dkrig.conformance.SuiteJson;
import dev.dkrig.conformance.SuiteJunit;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.conformance.SuiteOutcome;
import dev.dkrig.conformance.SuiteRunner;
import dev.dkrig.conformance.vehicle.VehicleSuite;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.report.Palette;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.RunContext;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dkrig suite}: runs a suite of conformance scenarios (issue 8) against the device under
 * test of a rig: the built-in virtual device (fresh for every scenario), a phone or test card on a
 * PC/SC reader or a PN532 board (the operator is told when to delete the key), or {@code dkrig
 * emulate} behind vpcd. One verdict per scenario run with its steps, a summary table, JSON ({@code
 * dkrig-suite/1}) and JUnit XML (one testsuite per scenario run).
 */
@Command(
    name = "suite",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    resourceBundle = "dev.dkrig.cli.SuiteCommand",
    sortOptions = false,
    description = {
      "Run conformance scenarios: the rig plays a car that gets owner pairing wrong on purpose"
          + " (bad evidence, wrong order, broken MACs, replays, aborts) and checks that the device"
          + " refuses as the contract requires, drops the session, creates no key, and still"
          + " pairs cleanly afterwards.",
      "",
      "Without --rig it runs against the built-in virtual device, fresh for every scenario; with"
          + " a reader rig the operator is asked to delete the key on the device between"
          + " scenarios (stderr; without a terminal the prompt is printed and the run goes on"
          + " after the suite's promptWait).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  dkrig suite suites/conformance.yaml",
      "  dkrig suite suites/conformance.yaml --device-quirk accept-bad-mac",
      "  dkrig suite suites/conformance.yaml --rig rigs/pcsc.yaml --report-dir out/",
      "  dkrig suite suites/conformance.yaml --repeat 10 --junit suite.xml",
      "  dkrig suite --role phone vehicle-conformance --vpcd --report-dir out/",
      "  dkrig suite --role phone vehicle-conformance --rig rigs/phone-pn532.yaml \\",
      "      --serial-port /dev/ttyUSB0",
      "",
      "Exit codes:",
      "  0   PASS: every scenario run passed",
      "  1   FAIL: the device reacted wrongly in at least one scenario run",
      "  2   usage error",
      "  3   ERROR: bench unavailable or a scenario run inconclusive",
      "  4   configuration error found before the first APDU (suite, rig or profile",
      "      file, output path, state folder, a phone rig's serial port not there)",
      "  70  internal error (a bug in dkrig: please report it)",
      "  130 interrupted (SIGINT, Ctrl-C): the reports cover the scenario runs that",
      "      finished",
      "  143 terminated (SIGTERM, e.g. a cancelled CI job): the same as 130"
    })
public final class SuiteCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SUITE",
      description =
          "The suite: a name from 'dkrig suites' (conformance) or a file, e.g."
              + " suites/conformance.yaml.")
  Path file;

  @Option(
      names = "--list",
      description =
          "List the suite's scenarios with the deviation and the reaction the contract requires,"
              + " and run nothing.")
  boolean list;

  @Option(
      names = "--only",
      paramLabel = "NAME[,NAME]",
      split = ",",
      description = "Run only these scenarios of the suite (with --list: list only them).")
  List<String> only = new ArrayList<>();

  @Mixin RigOptions rigOptions = new RigOptions();

  @Option(
      names = "--serial-port",
      paramLabel = "PATH",
      description =
          "The PN532 board's serial port (pn532-uart rigs; with --role phone, a pn532-uart phone"
              + " rig), over the rig's port:.")
  String serialPort;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "Run the whole suite N times (multiplies the suite's own repeat).")
  int repeat = 1;

  @Mixin OutputOptions outputs = new OutputOptions();

  @Option(
      names = "--device-quirk",
      paramLabel = "NAME",
      description =
          "Make the virtual device misbehave in a named way (repeatable):"
              + " ${COMPLETION-CANDIDATES}.",
      converter = PairCommand.QuirkConverter.class,
      completionCandidates = PairCommand.QuirkNames.class)
  List<DeviceQuirk> deviceQuirks = new ArrayList<>();

  @Option(
      names = "--prompt-wait",
      paramLabel = "DURATION",
      description =
          "Without a terminal: how long to wait after each operator prompt (default: the suite's"
              + " promptWait).")
  String promptWait;

  @Mixin SeedOptions seeds = new SeedOptions();

  @Mixin DutOption dut = new DutOption();

  @Mixin ConsoleOptions consoleOptions = new ConsoleOptions();

  @Mixin ColorOption colour = new ColorOption();

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description =
          "vehicle (default): the rig plays the vehicle and tests a device. phone: the rig plays"
              + " the phone and tests a vehicle, with a vehicle conformance suite such as"
              + " suites/vehicle-conformance.yaml, where dkrig phone would put it: --vpcd"
              + " [HOST:PORT], or --rig with a phone rig (rigs/phone-pn532.yaml --serial-port"
              + " PORT).")
  String role = "vehicle";

  @Mixin VpcdOption vpcd = new VpcdOption();

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "--role phone: how long to wait for the vehicle's next attempt (default: the suite's"
              + " wait).")
  String attemptWait;

  @Option(
      names = "--timer",
      paramLabel = "NAME=DURATION",
      description =
          "--role phone: a §13 timer of the vehicle to judge against (repeatable); wins over the"
              + " suite's.")
  List<String> timers = new ArrayList<>();

  @Option(
      names = "--fresh-verifier",
      description =
          "--role phone: the vehicle derives a new SPAKE2+ verifier for every pairing (§18.20, as"
              + " dkrig pair with a password profile): its attempts are not counted.")
  boolean freshVerifier;

  @Option(
      names = "--attempts-used",
      paramLabel = "N",
      description =
          "--role phone: what the vehicle's SPAKE2+ attempt counter holds at the start (default"
              + " 0, a freshly provisioned verifier).")
  int attemptsUsed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String color = colour.when(spec.commandLine());
    consoleOptions.check(spec.commandLine());
    List<Preflight.Output> inputs = rigOptions.inputs();
    inputs.addAll(DistinctOutputs.inputs("SUITE", Collections.singletonList(file)));
    DistinctOutputs.require(
        spec.commandLine(),
        Preflight.summary(outputs.reportDir, outputs.json, outputs.junit),
        inputs);
    if ("phone".equals(role)) {
      return new PhoneRoleSuite(this).call();
    }
    if (!"vehicle".equals(role)) {
      throw usage("--role must be vehicle or phone, not '" + role + "'");
    }
    PhoneRoleSuite.refusePhoneOptions(this);
    Optional<String> reader = rigOptions.singleReader(spec.commandLine());
    if (repeat < 1 || repeat > Suite.MAX_REPEAT) {
      throw usage("--repeat must be 1.." + Suite.MAX_REPEAT);
    }
    Optional<Duration> wait = Optional.empty();
    if (promptWait != null) {
      try {
        wait = Optional.of(Durations.parse(promptWait));
      } catch (IllegalArgumentException e) {
        throw usage("--prompt-wait: " + e.getMessage());
      }
    }
    if (list) {
      return list(out, err);
    }
    boolean jsonToStdout = outputs.jsonToStdout();
    boolean terminal = System.console() != null;
    Palette palette = Palette.of(color, terminal && !jsonToStdout, System.getenv());
    PrintWriter table = jsonToStdout ? err : out;
    List<String> quirks = deviceQuirks.stream().map(DeviceQuirk::cliName).distinct().toList();
    Preamble preamble =
        Preamble.capture(spec.commandLine().getParseResult().originalArgs(), System.getenv());

    Path state;
    try {
      state = Files.createTempDirectory("dkrig-suite-");
    } catch (IOException e) {
      err.println("dkrig: cannot create a state directory: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    PairRequest request =
        new PairRequest(
            rigOptions.rig(),
            rigOptions.profile(),
            reader,
            Optional.ofNullable(serialPort),
            Optional.empty(),
            Optional.empty(),
            deviceQuirks.isEmpty() ? java.util.Set.of() : EnumSet.copyOf(deviceQuirks),
            java.util.Set.of(),
            Map.of(),
            true,
            dut.dut(),
            state,
            false,
            seeds.seed(),
            Optional.empty(),
            new RunListener() {},
            preamble,
            List.of());
    try {
      Suite suite;
      Bench bench;
      try {
        suite = selected(Suite.load(ConfigNames.fromEnvironment().suite(file)));
        bench = Bench.load(request);
        Preflight.requireSecureRandomness(
            spec.commandLine(),
            bench.rig().transport(),
            seeds.seed != null,
            false,
            seeds.insecureRandomness);
        SuiteRunner.requirePasswordVerifier(
            bench.profile().settings(), bench.profile().source().displayName());
      } catch (ConfigException e) {
        err.println("dkrig: configuration error: " + e.getMessage() + phoneSuiteHint());
        err.flush();
        return ExitCodes.CONFIGURATION;
      }
      Optional<Integer> refused =
          Preflight.checkRig(bench.rig(), request.reader(), request.serialPort(), err)
              .or(() -> Preflight.checkBleAdapter(bench.rig(), request.bleAdapter(), err))
              .or(
                  () ->
                      Preflight.checkOutputs(
                          Preflight.summary(outputs.reportDir, outputs.json, outputs.junit), err));
      if (refused.isPresent()) {
        return refused.get();
      }
      RunContext wire = RunContext.named();
      BenchSuiteBench suiteBench = new BenchSuiteBench(bench, seeds.seed(), state, wire);
      Optional<SuiteEvidence> evidence =
          Optional.ofNullable(outputs.reportDir)
              .map(
                  dir ->
                      new SuiteEvidence(
                          dir,
                          wire,
                          suiteBench.clock(),
                          () -> bench.metadata(suiteBench.reader()).preambleLines(),
                          suiteBench::reader,
                          out,
                          err));
      Operator operator =
          Operator.console(
              err,
              terminal
                  ? Optional.of(
                      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
                  : Optional.empty(),
              wait.orElse(suite.promptWait()),
              RigClock.system());
      SuiteConsole console =
          new SuiteConsole(table, err, palette, consoleOptions.quiet, consoleOptions.verbose());
      SuiteListener listener =
          evidence.isPresent() ? SuiteListener.all(List.of(evidence.get(), console)) : console;
      // The hook holds the JVM until the reports and the console's last lines are out (issue 15).
      Thread worker = Thread.currentThread();
      InterruptHook interrupt =
          InterruptHook.install("dkrig-suite-interrupt", 10, worker::interrupt);
      try {
        SuiteOutcome outcome =
            runUntilSignal(
                new SuiteRunner(suite, suiteBench, operator, listener, repeat)::run, interrupt);
        console.summary(outcome);
        RunMetadata meta = bench.metadata(suiteBench.reader());
        evidence.ifPresent(SuiteEvidence::close);
        boolean written = writeReports(outcome, meta, quirks, Optional.empty(), outputs, out, err);
        return exitCode(outcome, written, evidence, interrupt, "scenario runs", table, err);
      } finally {
        TemporaryFolder.delete(state);
        interrupt.finished();
      }
    } finally {
      TemporaryFolder.delete(state);
    }
  }

  /**
   * After the reports of either role: the verdict line of a signal on {@code table}, then the exit
   * code: ERROR when a document could not be written, 130/143 when interrupted (saying the reports
   * cover the {@code ran} that finished), an evidence file that failed, else the outcome's.
   */
  static int exitCode(
      SuiteOutcome outcome,
      boolean written,
      Optional<SuiteEvidence> evidence,
      InterruptHook interrupt,
      String ran,
      PrintWriter table,
      PrintWriter err) {
    interrupt.signal().ifPresent(s -> table.println("Verdict: ERROR (interrupted by " + s + ")"));
    table.flush();
    if (!written) {
      return ExitCodes.ERROR;
    }
    if (outcome.interrupted() || interrupt.signalled()) {
      err.println("dkrig: interrupted; the reports cover the " + ran + " that finished");
      err.flush();
      return interrupt.exitCode();
    }
    Optional<Integer> incomplete =
        Preflight.incompleteEvidence(evidence.map(SuiteEvidence::failures).orElse(List.of()), err);
    if (incomplete.isPresent() && outcome.internalError().isEmpty()) {
      return incomplete.get();
    }
    return finalCode(outcome, err);
  }

  private static int finalCode(SuiteOutcome outcome, PrintWriter err) {
    if (outcome.internalError().isPresent()) {
      err.println("dkrig: internal error: " + outcome.internalError().get());
      return ExitCodes.INTERNAL;
    }
    return ExitCodes.of(outcome.verdict());
  }

  /**
   * Ctrl-C or SIGTERM: the current scenario ends ERROR, its clean-up is skipped, the reports cover
   * what ran; the hook waits for that, then the JVM exits.
   */
  static SuiteOutcome runUntilSignal(Supplier<SuiteOutcome> run, InterruptHook interrupt) {
    try {
      return run.get();
    } finally {
      if (interrupt.signalled()) {
        Main.exitingOnSignal();
      }
      Thread.interrupted();
    }
  }

  /**
   * The suite's documents where the options ask for them; {@code role} is named in the JSON of a
   * phone-role suite only. False (after one line on {@code err}) when one could not be written.
   */
  static boolean writeReports(
      SuiteOutcome outcome,
      RunMetadata meta,
      List<String> quirks,
      Optional<String> role,
      OutputOptions outputs,
      PrintWriter out,
      PrintWriter err) {
    try {
      var rendered = SuiteJson.render(outcome, meta, quirks);
      var document = role.isPresent() ? SuiteJson.withRole(rendered, role.get()) : rendered;
      String xml = SuiteJunit.render(outcome, meta, quirks);
      if (outputs.jsonToStdout()) {
        out.print(SuiteJson.text(document));
        out.flush();
      } else if (outputs.json != null) {
        SuiteJson.write(document, Path.of(outputs.json));
      }
      if (outputs.junit != null) {
        SuiteJunit.write(xml, outputs.junit);
      }
      if (outputs.reportDir != null) {
        SuiteJson.write(document, outputs.reportDir.resolve("suite.json"));
        SuiteJunit.write(xml, outputs.reportDir.resolve("suite-junit.xml"));
      }
      return true;
    } catch (IOException e) {
      err.println("dkrig: cannot write a report: " + e.getMessage());
      return false;
    }
  }

  /** {@code --list}: each scenario with its deviation and required reaction; runs nothing. */
  private int list(PrintWriter out, PrintWriter err) {
    Suite suite;
    try {
      suite = selected(Suite.load(ConfigNames.fromEnvironment().suite(file)));
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    out.println(
        "suite "
            + suite.name()
            + " ("
            + suite.source().displayName()
            + "): "
            + suite.runsPerRound()
            + " scenario run(s) per round"
            + (suite.repeat() > 1 ? ", " + suite.repeat() + " rounds" : ""));
    for (Suite.Entry entry : suite.entries()) {
      if (entry instanceof Suite.PromptEntry prompt) {
        out.println("  (prompt) " + prompt.text());
        continue;
      }
      Suite.ScenarioEntry scenario = (Suite.ScenarioEntry) entry;
      StringBuilder settings = new StringBuilder();
      scenario.parameters().forEach((k, v) -> settings.append(' ').append(k).append('=').append(v));
      if (scenario.repeat() > 1) {
        settings.append(" repeat=").append(scenario.repeat());
      }
      if (!scenario.fresh()) {
        settings.append(" fresh=false");
      }
      out.println(
          "  " + scenario.scenario().name() + "  " + scenario.scenario().title() + settings);
      out.println("      deviation: " + scenario.scenario().deviation());
      out.println("      required:  " + scenario.scenario().requiredReaction());
    }
    out.flush();
    return ExitCodes.PASS;
  }

  /** A vehicle conformance suite given without {@code --role phone}: say so. */
  private String phoneSuiteHint() {
    try {
      return VehicleSuite.isPhoneSuite(ConfigNames.fromEnvironment().suite(file))
          ? " (a vehicle conformance suite: run it with --role phone)"
          : "";
    } catch (ConfigException e) {
      return "";
    }
  }

  /** The suite as {@code --only} narrows it; an unknown name is a usage error (exit 2). */
  private Suite selected(Suite suite) {
    if (only.isEmpty()) {
      return suite;
    }
    try {
      return suite.only(only.stream().map(String::strip).toList());
    } catch (IllegalArgumentException e) {
      throw usage("--only: " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
