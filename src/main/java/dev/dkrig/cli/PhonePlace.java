package dev.dkrig.cli;

import dev.dkrig.bench.PhoneRig;
import dev.dkrig.phone.host.PhoneBench;
import dev.dkrig.phone.host.PhoneHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Where the phone sits ({@code --vpcd}, {@code --rig}, {@code --serial-port}): the checks {@code
 * dkrig phone} and {@code dkrig suite --role phone} share, so that both word every mistake alike
 * (exit 2; a rig file's own mistakes are exit 4, from {@link PhoneBench#load}).
 */
final class PhonePlace {
  private PhonePlace() {}

  /** Before the rig is read: one place named, not two, and a well-formed vpcd address. */
  static void check(CommandLine line, VpcdOption vpcd, Path rig, String serialPort) {
    if (!vpcd.given() && rig == null) {
      throw usage(
          line,
          "say where the vehicle is: --vpcd [HOST:PORT] (a vehicle that speaks PC/SC on this"
              + " host) or --rig FILE (a phone rig, e.g. rigs/phone-pn532.yaml)");
    }
    if (vpcd.given() && serialPort != null) {
      throw usage(line, "--vpcd and --serial-port exclude each other: the phone sits in one place");
    }
    if (vpcd.given()) {
      vpcd.endpoint(line);
    }
  }

  /**
   * {@code --seed} and {@code --test-mode} only behind {@code --insecure-randomness}: the phone's
   * keys would be predictable, and the phone faces a real vehicle.
   */
  static void requireInsecure(
      CommandLine line, boolean seed, boolean testMode, boolean insecureRandomness) {
    if ((seed || testMode) && !insecureRandomness) {
      throw usage(
          line,
          (seed ? "--seed" : "--test-mode")
              + " makes the phone's keys predictable and the phone faces a real vehicle: add"
              + " --insecure-randomness only if the vehicle is a test one");
    }
  }

  /** Once the rig is read: {@code --vpcd} and {@code --serial-port} fit its transport. */
  static void checkRig(CommandLine line, PhoneBench.Request request, PhoneRig rig) {
    if (request.vpcd().isPresent() && rig.transport() != PhoneRig.Transport.VPCD) {
      throw usage(
          line,
          "--vpcd and the "
              + rig.transport().yamlName()
              + " rig "
              + rig.source().displayName()
              + " exclude each other: give one");
    }
    if (request.serialPort().isPresent() && rig.transport() != PhoneRig.Transport.PN532_UART) {
      throw usage(
          line,
          "--serial-port works with a pn532-uart phone rig, not " + rig.source().displayName());
    }
  }

  /**
   * The serial port of a PN532 phone rig, checked before the run as {@code pair}'s is ({@link
   * Preflight#checkSerialPort}): exit 4 naming it, or empty.
   */
  static Optional<Integer> checkPort(
      PhoneBench.Request request, PhoneBench bench, PrintWriter err) {
    return Preflight.checkSerialPort(
        bench.serialPort(),
        request.serialPort().isPresent(),
        bench.rig().source().displayName(),
        err);
  }

  /** The rig's host; a vpcd address in the rig that does not parse is exit 2, naming the rig. */
  static PhoneHost host(CommandLine line, PhoneBench bench, Consumer<String> notes) {
    try {
      return bench.host(notes);
    } catch (IllegalArgumentException e) {
      throw usage(line, bench.rig().source().displayName() + ": vpcd: " + e.getMessage());
    }
  }

  private static CommandLine.ParameterException usage(CommandLine line, String message) {
    return new CommandLine.ParameterException(line, message);
  }
}
