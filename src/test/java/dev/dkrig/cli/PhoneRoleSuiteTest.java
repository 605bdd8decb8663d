package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dkrig suite --role phone} with a phone rig: every careless use ends 2 or 4 with the line
 * {@code dkrig phone} prints for the same mistake, before anything waits for a vehicle.
 */
class PhoneRoleSuiteTest {
  private static final String SUITE = "suites/vehicle-conformance.yaml";
  @TempDir Path dir;

  private static CliRun suite(String... more) {
    List<String> args = new ArrayList<>(List.of("suite", "--role", "phone", SUITE));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The suite refuses as {@code dkrig phone} does: the same exit code and the same line. */
  private static void sameAsPhone(int exit, String expected, String... args) {
    List<String> phone = new ArrayList<>(List.of("phone"));
    phone.addAll(List.of(args));
    CliRun byPhone = CliRun.of(phone.toArray(String[]::new));
    CliRun bySuite = suite(args);
    assertEquals(exit, byPhone.exitCode(), byPhone.err());
    assertEquals(exit, bySuite.exitCode(), bySuite.err());
    String line = "dkrig: " + expected;
    assertTrue(byPhone.err().contains(line), byPhone.err());
    assertTrue(bySuite.err().contains(line), bySuite.err());
    assertEquals(
        byPhone.err().lines().findFirst().orElseThrow(),
        bySuite.err().lines().findFirst().orElseThrow(),
        "one line, worded alike");
    assertEquals("", bySuite.out(), "nothing ran");
  }

  @Test
  @DisplayName("no place for the phone, --vpcd with a PN532 rig or with --serial-port: exit 2")
  void wherever() {
    sameAsPhone(2, "say where the vehicle is: --vpcd [HOST:PORT]");
    sameAsPhone(
        2,
        "--vpcd and the pn532-uart rig rigs/phone-pn532.yaml exclude each other: give one",
        "--vpcd",
        "--rig",
        "rigs/phone-pn532.yaml");
    sameAsPhone(
        2,
        "--vpcd and --serial-port exclude each other: the phone sits in one place",
        "--vpcd",
        "--serial-port",
        dir.resolve("tty").toString());
    sameAsPhone(
        2,
        "--serial-port works with a pn532-uart phone rig, not rigs/phone-vpcd.yaml",
        "--rig",
        "rigs/phone-vpcd.yaml",
        "--serial-port",
        dir.resolve("tty").toString());
    sameAsPhone(2, "--vpcd 'a:b:c'", "--vpcd", "a:b:c");
    sameAsPhone(
        2,
        "--seed makes the phone's keys predictable and the phone faces a real vehicle",
        "--vpcd",
        "--seed",
        "7");
  }

  @Test
  @DisplayName("a vehicle rig, a rig that is not there, a phone rig with a mistake: exit 4")
  void rigFiles() throws Exception {
    sameAsPhone(
        4,
        "configuration error: rigs/pcsc.yaml: not a phone rig (no 'role: phone')",
        "--rig",
        "rigs/pcsc.yaml");
    Path none = dir.resolve("none.yaml");
    sameAsPhone(4, "configuration error: " + none + ": cannot read", "--rig", none.toString());
    Path rig = dir.resolve("phone.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/phone-pn532.yaml"))
            .replace("  timers: {}", "  timers: {T_Nope: 1s}"));
    CliRun bad = suite("--rig", rig.toString());
    assertEquals(4, bad.exitCode(), bad.err());
    assertTrue(bad.err().startsWith("dkrig: configuration error: " + rig), bad.err());
    assertTrue(bad.err().contains("T_Nope"), bad.err());
  }

  @Test
  @DisplayName(
      "a serial port that is not there, or a file that is no serial device: exit 4 naming the port"
          + " (and the rig when the port is the rig's), as pair says it; neither waits for a"
          + " vehicle")
  void ports() throws Exception {
    Path nope = dir.resolve("ttyNOPE");
    CliRun given =
        suite("--rig", "rigs/phone-pn532.yaml", "--serial-port", nope.toString(), "--wait", "9m");
    assertEquals(4, given.exitCode(), given.err());
    assertEquals(
        List.of(
            "dkrig: --serial-port "
                + nope
                + ": no such file (plug the USB-serial adapter in, or start socat first: its pty"
                + " link must exist)"),
        given.err().lines().toList());
    Path rig = dir.resolve("rig.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/phone-pn532.yaml"))
            .replace("port: /dev/ttyUSB0", "port: " + nope)
            .replace(": test-pki/", ": " + Path.of("rigs/test-pki").toAbsolutePath() + "/")
            .replace(": ../profiles/", ": " + Path.of("profiles").toAbsolutePath() + "/"));
    CliRun fromRig = suite("--rig", rig.toString(), "--wait", "9m");
    assertEquals(4, fromRig.exitCode(), fromRig.err());
    assertTrue(
        fromRig.err().startsWith("dkrig: " + rig + ": port: " + nope + ": no such file")
            && fromRig.err().contains("; --serial-port PATH overrides the rig's port"),
        fromRig.err());
    Path file = Files.writeString(dir.resolve("not-a-tty"), "");
    CliRun notSerial =
        suite("--rig", "rigs/phone-pn532.yaml", "--serial-port", file.toString(), "--wait", "9m");
    assertEquals(4, notSerial.exitCode(), notSerial.err());
    assertTrue(
        notSerial.err().startsWith("dkrig: --serial-port " + file + ": not a serial device"),
        notSerial.err());
  }

  @Test
  @DisplayName("the vehicle role's options with --role phone: exit 2, naming them")
  void vehicleOptions() {
    CliRun profile = suite("--rig", "rigs/phone-pn532.yaml", "--profile", "x");
    assertEquals(2, profile.exitCode(), profile.err());
    assertTrue(profile.err().startsWith("dkrig: --profile needs --role vehicle"), profile.err());
    CliRun reader = suite("--vpcd", "-r", "vpcd 00 00");
    assertEquals(2, reader.exitCode(), reader.err());
    assertTrue(reader.err().startsWith("dkrig: -r (--reader) needs --role vehicle"), reader.err());
  }
}
