package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.report.Preamble;
import dev.dkrig.transport.FaultInjectingTransport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code dkrig pair} runs, as a value: the bench's {@link PairRequest} (without its dump
 * and listener, which each run gets) and the run's own switches. The runs of {@code --repeat} and
 * the pads read it instead of the command's fields, and a pad's process gets its arguments from it
 * ({@link #padArguments}), not from the parent's command line.
 *
 * @param repeat {@code --repeat}: pairings one after the other on each pad
 * @param revealSecrets {@code --reveal-secrets}
 * @param insecureRandomness {@code --insecure-randomness}
 * @param withDump {@code --with-dump}
 * @param debug {@code --debug}
 */
record PairJob(
    PairRequest request,
    int repeat,
    boolean revealSecrets,
    boolean insecureRandomness,
    boolean withDump,
    boolean debug) {

  /**
   * This job on one pad of this process: its reader, and the preamble its own command line ({@link
   * #padArguments}) would record, so that its report reads as a pad's process's would.
   */
  PairJob onPad(String reader, List<String> arguments) {
    PairRequest r = request;
    return new PairJob(
        new PairRequest(
            r.rig(),
            r.profile(),
            Optional.of(reader),
            r.serialPort(),
            r.bleAdapter(),
            r.devicePassword(),
            r.deviceQuirks(),
            r.vehicleQuirks(),
            r.timerOverrides(),
            r.noPhase4(),
            r.dut(),
            r.stateDirectory(),
            r.testMode(),
            r.seed(),
            r.dump(),
            r.listener(),
            Preamble.capture(arguments, System.getenv()),
            r.faults()),
        repeat,
        revealSecrets,
        insecureRandomness,
        withDump,
        debug);
  }

  /**
   * {@code dkrig pair} for one pad: this job on {@code reader}, its evidence under {@code dir}.
   * With {@code allFiles} (a report folder) that is every evidence file; otherwise only what the
   * summary reads back, the JSON report (and {@code junit.xml} with {@code junit}). A pad prints
   * only its verdict unless {@code verbose}.
   */
  List<String> padArguments(
      String reader, Path dir, boolean allFiles, boolean junit, boolean verbose) {
    List<String> args = new ArrayList<>();
    args.add("pair");
    request.rig().ifPresent(p -> add(args, "--rig", p.toString()));
    request.profile().ifPresent(p -> add(args, "--profile", p.toString()));
    if (repeat != 1) {
      add(args, "--repeat", Integer.toString(repeat));
    }
    request.serialPort().ifPresent(p -> add(args, "--serial-port", p));
    request.bleAdapter().ifPresent(a -> add(args, "--ble-adapter", a));
    if (withDump) {
      args.add("--with-dump");
    }
    request.devicePassword().ifPresent(p -> add(args, "--device-password", p));
    for (DeviceQuirk quirk : request.deviceQuirks()) {
      add(args, "--device-quirk", quirk.cliName());
    }
    for (VehicleQuirk quirk : request.vehicleQuirks()) {
      add(args, "--vehicle-quirk", quirk.cliName());
    }
    request
        .timerOverrides()
        .forEach((name, value) -> add(args, "--timer", name.name() + "=" + millis(value)));
    if (request.noPhase4()) {
      args.add("--no-phase4");
    }
    request.dut().ifPresent(d -> add(args, "--dut", d));
    if (!request.stateDirectory().equals(Bench.defaultStateDirectory())) {
      add(args, "--state-dir", request.stateDirectory().toString());
    }
    if (request.testMode()) {
      args.add("--test-mode");
    }
    for (FaultInjectingTransport.Fault fault : request.faults()) {
      add(args, "--inject-fault", fault.spec());
    }
    if (revealSecrets) {
      args.add("--reveal-secrets");
    }
    request.seed().ifPresent(s -> add(args, "--seed", Long.toString(s)));
    if (insecureRandomness) {
      args.add("--insecure-randomness");
    }
    if (debug) {
      args.add("--debug");
    }
    add(args, "--reader", reader);
    if (allFiles) {
      add(args, "--report-dir", dir.toString());
    } else {
      add(args, "--json", dir.resolve(RunFiles.JSON).toString());
      if (junit) {
        add(args, "--junit", dir.resolve(RunFiles.JUNIT).toString());
      }
    }
    add(args, "--color", "never");
    if (!verbose) {
      args.add("--quiet");
    }
    return args;
  }

  private static void add(List<String> args, String option, String value) {
    args.add(option);
    args.add(value);
  }

  /**
   * A duration as {@code --timer} reads it back to the nanosecond: {@code 1.5ms}, {@code 30000ms}.
   */
  private static String millis(java.time.Duration value) {
    return BigDecimal.valueOf(value.toNanos(), 6).stripTrailingZeros().toPlainString() + "ms";
  }
}
