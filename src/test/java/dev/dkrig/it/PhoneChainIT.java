package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.StepIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3, the bench without a radio: {@code dkrig pair --rig rigs/pcsc.yaml} (the vehicle)
 * ⇄ pcscd ⇄ vpcd ⇄ {@code dkrig emulate --pn532-target} (the phone's PN532 board in card emulation)
 * ⇄ a socat pty pair ⇄ {@code dkrig phone --rig rigs/phone-pn532.yaml --serial-port} (the phone's
 * PN532 driver with the virtual device behind it). This JVM opens no PC/SC context.
 */
class PhoneChainIT {
  private static Pcscd pcscd;
  @TempDir Path dir;
  private SocatPty pty;
  private Process emulator;
  private Process phone;

  @BeforeAll
  static void startPcscd() {
    pcscd = Pcscd.standalone().start();
  }

  @AfterAll
  static void stopPcscd() {
    if (pcscd != null && pcscd.isRunning()) {
      pcscd.stop();
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Process process : new Process[] {phone, emulator}) {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
    if (pty != null) {
      pty.close();
    }
  }

  @Test
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml ⇄ pcscd ⇄ vpcd ⇄ emulate --pn532-target ⇄ socat ⇄ dkrig"
          + " phone --serial-port: both PASS all 42 steps, the phone exits by itself")
  void bothPassThroughTheChain() throws Exception {
    pty = SocatPty.start(dir.resolve("pty"));
    emulator =
        SuiteLauncher.start(
            dir,
            "emulate",
            List.of(
                "emulate",
                "--pn532-target",
                pty.device().toString(),
                "--vpcd",
                "127.0.0.1:" + Pcscd.PORT_0));
    awaitBoard();
    Path phoneJson = dir.resolve("phone.json");
    phone =
        SuiteLauncher.start(
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
    awaitCard(true);

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
    awaitCard(false);
    assertTrue(emulator.isAlive(), "the board stays for the next phone: " + logs());
  }

  /** Waits until the emulated board says it serves its line. */
  private void awaitBoard() throws Exception {
    Path out = dir.resolve("emulate.out");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(out) && Files.readString(out).contains("Ctrl-C stops")) {
        return;
      }
      assertTrue(emulator.isAlive(), "emulate --pn532-target stopped: " + logs());
      Thread.sleep(100);
    }
    throw new AssertionError("the emulated board never started: " + logs());
  }

  /** Waits until pcscd reports a card in reader 00 00 ({@code present}) or none. */
  private void awaitCard(boolean present) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      SuiteLauncher.Result readers = SuiteLauncher.run(dir, "readers", "readers");
      boolean card =
          readers.out().lines().anyMatch(l -> l.contains(Pcscd.READER_0) && l.contains("card"));
      if (card == present) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the card " + (present ? "never appeared" : "never left") + ": " + logs());
  }

  /** What the board and the phone said, for a failure's message. */
  private String logs() throws Exception {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("emulate.err", "phone.out", "phone.err")) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        text.append("\n--- ").append(name).append(":\n").append(Files.readString(file));
      }
    }
    return text.toString();
  }
}
