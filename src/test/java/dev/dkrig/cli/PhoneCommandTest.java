package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dkrig phone} and a careless user: every mistake ends 2 (usage) or 4 (a file) before the
 * phone enters any field, with one line naming what; nothing here reaches vpcd or a board.
 */
class PhoneCommandTest {
  @TempDir Path dir;

  private static void refused(int exit, String expected, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(exit, r.exitCode(), r.out() + r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("dkrig: "), r.err());
    assertTrue(first.contains(expected), "expected '" + expected + "' in: " + r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  @DisplayName("--help says the verdicts are the phone's, about the vehicle under test")
  void helpSaysWhoseSide() {
    CliRun r = CliRun.of("phone", "--help");
    assertEquals(0, r.exitCode());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(
        help.contains("The verdicts are given from the phone's side about the vehicle under test"),
        help);
    assertTrue(help.contains("bad-endpoint-signature, wrong-key-slot"), help);
  }

  @Test
  @DisplayName("no place for the phone: --vpcd or --rig is needed (exit 2)")
  void needsAPlace() {
    refused(2, "--vpcd [HOST:PORT]", "phone");
  }

  @Test
  @DisplayName("a bad --timer value, an unknown timer, a zero timer: exit 2 naming it")
  void badTimers() {
    refused(
        2,
        "--timer T_TxGap=fast: 'fast' is not a duration",
        "phone",
        "--vpcd",
        "--timer",
        "T_TxGap=fast");
    refused(2, "unknown timer 'T_Nope'", "phone", "--vpcd", "--timer", "T_Nope=1s");
    refused(2, "--timer T_TxGap must be more than 0", "phone", "--vpcd", "--timer", "T_TxGap=0s");
    refused(2, "--timer expects NAME=DURATION", "phone", "--vpcd", "--timer", "T_TxGap");
    refused(2, "--phase4-wait must be more than 0", "phone", "--vpcd", "--phase4-wait", "0s");
  }

  @Test
  @DisplayName("a quirk the phone does not take, or none at all: exit 2 naming it and the three")
  void quirks() {
    refused(
        2,
        "device quirk 'ignore-order' tests nothing in the phone role",
        "phone",
        "--vpcd",
        "--device-quirk",
        "ignore-order");
    refused(
        2,
        "unknown device quirk 'nonsense'; the phone takes: bad-endpoint-signature, wrong-key-slot,"
            + " wrong-vehicle-id-in-certificate",
        "phone",
        "--vpcd",
        "--device-quirk",
        "nonsense");
  }

  @Test
  @DisplayName("an unwritable --json path: exit 4 naming the option and the path, before the field")
  void unwritableJson() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    refused(
        4,
        "--json " + file.resolve("report.json"),
        "phone",
        "--vpcd",
        "127.0.0.1:1",
        "--json",
        file.resolve("report.json").toString());
  }

  @Test
  @DisplayName("a missing rig file, a vehicle rig, a phone rig with an unknown key: exit 4")
  void rigFiles() throws Exception {
    refused(
        4,
        dir.resolve("nope.yaml") + ": cannot read",
        "phone",
        "--rig",
        dir.resolve("nope.yaml").toString());
    refused(4, "not a phone rig (no 'role: phone')", "phone", "--rig", "rigs/pcsc.yaml");
    Path rig = dir.resolve("phone.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/phone-vpcd.yaml"))
            .replace("  phase4Wait: 30s", "  phase4Wait: 30s\n  speed: fast"));
    refused(4, rig + ": phone.speed: unknown key", "phone", "--rig", rig.toString());
    refused(4, "a rig with a role is a phone rig", "pair", "--rig", "rigs/phone-vpcd.yaml");
  }

  @Test
  @DisplayName("--vpcd with a serial phone rig, or with --serial-port: exit 2")
  void vpcdAndSerial() {
    refused(
        2,
        "--vpcd and the pn532-uart rig rigs/phone-pn532.yaml exclude each other",
        "phone",
        "--vpcd",
        "--rig",
        "rigs/phone-pn532.yaml");
    refused(
        2,
        "--vpcd and --serial-port exclude each other",
        "phone",
        "--vpcd",
        "--serial-port",
        "/dev/x");
    refused(2, "--vpcd 'a:b:c'", "phone", "--vpcd", "a:b:c");
  }

  @Test
  @DisplayName("--seed or --test-mode without --insecure-randomness: exit 2, the phone faces a car")
  void predictableDraws() {
    refused(2, "--seed makes the phone's keys predictable", "phone", "--vpcd", "--seed", "7");
    refused(2, "--test-mode makes the phone's keys predictable", "phone", "--vpcd", "--test-mode");
  }

  @Test
  @DisplayName("--dump, --repeat with single-run files, a bad password: exit 2")
  void otherMistakes() {
    refused(2, "--dump: a phone run cannot be recorded yet", "phone", "--vpcd", "--dump", "x.dump");
    refused(
        2, "--json records one pairing", "phone", "--vpcd", "--repeat", "2", "--json", "x.json");
    refused(2, "--repeat takes a number from 1", "phone", "--vpcd", "--repeat", "0");
    refused(2, "--device-password must be 8 digits", "phone", "--vpcd", "--device-password", "12");
    refused(2, "-q (quiet) and -v (verbose)", "phone", "--vpcd", "-q", "-v");
  }
}
