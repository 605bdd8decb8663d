package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.conformance.vehicle.VehicleSuite;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.StepIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 items 3 and 4, the bench without a radio: {@code dkrig pair --rig rigs/pcsc.yaml} (the
 * vehicle) ⇄ pcscd ⇄ vpcd ⇄ {@code dkrig emulate --pn532-target} (the phone's PN532 board in card
 * emulation) ⇄ a socat pty pair ⇄ the phone's PN532 driver with the virtual device behind it:
 * {@code dkrig phone --rig rigs/phone-pn532.yaml --serial-port}, or the vehicle conformance suite
 * {@code dkrig suite --role phone --rig rigs/phone-pn532.yaml --serial-port}. This JVM opens no
 * PC/SC context.
 */
class PhoneChainIT {
  @RegisterExtension static final LauncherBench BENCH = new LauncherBench();
  @TempDir Path dir;
  private Process emulator;

  @Test
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml ⇄ pcscd ⇄ vpcd ⇄ emulate --pn532-target ⇄ socat ⇄ dkrig"
          + " phone --serial-port: both PASS all 42 steps, the phone exits by itself")
  void bothPassThroughTheChain() throws Exception {
    SocatPty pty = board();
    Path phoneJson = dir.resolve("phone.json");
    Process phone =
        BENCH.start(
            dir,
            "phone",
            List.of(
                "phone",
                "--rig",
                "rigs/phone-pn532.yaml",
                "--serial-port",
                pty.host().toString(),
                "--dut",
                "dkrig pair through the chain",
                "--json",
                phoneJson.toString()));
    BENCH.awaitCard(dir, true, this::logs);

    Path json = dir.resolve("vehicle.json");
    SuiteLauncher.Result vehicle =
        SuiteLauncher.run(
            dir,
            "pair",
            "pair",
            "--rig",
            "rigs/pcsc.yaml",
            "-r",
            Pcscd.READER_0,
            "-q",
            "--json",
            json.toString());
    assertEquals(0, vehicle.exit(), vehicle.out() + vehicle.err() + logs());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(
        report.get("reader").asText().startsWith(Pcscd.READER_0 + " (ATR 3B80800101"),
        "an HCE-like ATS, no historical bytes: " + report.get("reader").asText());

    assertTrue(phone.waitFor(90, TimeUnit.SECONDS), "the phone exits by itself: " + logs());
    assertEquals(0, phone.exitValue(), logs());
    JsonNode phoneReport = new ObjectMapper().readTree(phoneJson.toFile());
    assertEquals("PASS", phoneReport.get("verdict").asText(), phoneReport.toString());
    assertEquals(StepIds.catalogue(), StepIds.of(phoneReport));
    assertTrue(phoneReport.toString().contains("PN532"), "the transport is named: " + phoneReport);
    assertTrue(
        Files.readString(dir.resolve("emulate.out"))
            .startsWith(
                "dkrig emulate: playing the phone's PN532 board in card emulation on "
                    + pty.device()),
        Files.readString(dir.resolve("emulate.out")));

    // The phone has left the pad: its board no longer arms, and the card leaves the slot.
    BENCH.awaitCard(dir, false, this::logs);
    assertTrue(emulator.isAlive(), "the board stays for the next phone: " + logs());
  }

  @Test
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml --repeat N ⇄ … ⇄ socat ⇄ dkrig suite --role phone"
          + " suites/vehicle-conformance.yaml --rig rigs/phone-pn532.yaml --serial-port: every"
          + " scenario PASS through the PN532 chain, exit 0")
  void vehicleSuiteThroughTheChain() throws Exception {
    SocatPty pty = board();
    // dkrig's vehicle, one pairing after another, and the suite with the same timers.
    List<String> vehicle =
        new ArrayList<>(
            List.of("pair", "--rig", "rigs/pcsc.yaml", "-r", Pcscd.READER_0, "--repeat", "40"));
    vehicle.add("-q");
    vehicle.addAll(LauncherBench.VEHICLE_TIMERS);
    BENCH.start(dir, "pair", vehicle);
    Path reports = dir.resolve("reports");
    List<String> args =
        new ArrayList<>(
            List.of(
                "suite",
                "--role",
                "phone",
                "suites/vehicle-conformance.yaml",
                "--rig",
                "rigs/phone-pn532.yaml",
                "--serial-port",
                pty.host().toString(),
                "--fresh-verifier",
                "--wait",
                "60s",
                "--report-dir",
                reports.toString()));
    args.addAll(LauncherBench.VEHICLE_TIMERS);
    SuiteLauncher.Result suite = SuiteLauncher.run(dir, "suite", args.toArray(String[]::new));
    assertEquals(
        0, suite.exit(), suite.out() + suite.err() + logs() + SuiteLauncher.output(dir, "pair"));
    List<String> names =
        VehicleSuite.load(ConfigSource.file(Path.of("suites/vehicle-conformance.yaml")))
            .scenarioNames();
    assertEquals(names, SuiteLauncher.passing(suite.out()), suite.out());
    JsonNode json = new ObjectMapper().readTree(reports.resolve("suite.json").toFile());
    assertEquals("phone", json.get("role").asText());
    assertEquals(names.size(), json.get("summary").get("PASS").asInt());
    assertEquals("rigs/phone-pn532.yaml", json.get("rig").get("path").asText());
    String reader = json.get("reader").asText();
    assertTrue(
        reader.startsWith("PN532 on " + pty.host() + " (PN532 v1.6")
            && reader.endsWith("card emulation) (the rig is the phone)"),
        reader);
    for (String name : names) {
      assertTrue(Files.size(reports.resolve(name).resolve("trace.txt")) > 0, name);
    }
    String left = Files.readString(reports.resolve("leave-field-mid-stream").resolve("trace.txt"));
    assertTrue(left.contains("transport: PN532 on " + pty.host()), left);
  }

  /** A socat pty pair with the emulated PN532 target on its device end, serving its line. */
  private SocatPty board() throws Exception {
    SocatPty pty = BENCH.own(SocatPty.start(dir.resolve("pty")));
    emulator =
        BENCH.start(
            dir,
            "emulate",
            List.of(
                "emulate",
                "--pn532-target",
                pty.device().toString(),
                "--vpcd",
                "127.0.0.1:" + Pcscd.PORT_0));
    Path out = dir.resolve("emulate.out");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(out) && Files.readString(out).contains("Ctrl-C stops")) {
        return pty;
      }
      assertTrue(emulator.isAlive(), "emulate --pn532-target stopped: " + logs());
      Thread.sleep(100);
    }
    throw new AssertionError("the emulated board never started: " + logs());
  }

  /** What the board and the phone said, for a failure's message. */
  private String logs() {
    return SuiteLauncher.output(dir, "emulate")
        + SuiteLauncher.output(dir, "phone")
        + SuiteLauncher.output(dir, "suite");
  }
}
