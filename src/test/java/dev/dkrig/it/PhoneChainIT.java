package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.StepIds;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.pn532.Pn532CardEmulation;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * ⇄ a socat pty pair ⇄ the phone's PN532 driver with the virtual device behind it. This JVM opens
 * no PC/SC context; it plays the phone through {@link Pn532CardEmulation}.
 */
class PhoneChainIT {
  private static Pcscd pcscd;
  @TempDir Path dir;
  private SocatPty pty;
  private Process emulator;
  private Pn532CardEmulation phone;

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
    if (phone != null) {
      phone.close();
    }
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
    if (pty != null) {
      pty.close();
    }
  }

  @Test
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml ⇄ pcscd ⇄ vpcd ⇄ emulate --pn532-target ⇄ socat ⇄ the"
          + " phone's PN532 driver: the vehicle PASSes all 42 steps")
  void vehiclePassesThroughTheChain() throws Exception {
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
    RigConfig rig = RigConfig.load(ConfigSource.embedded(RigConfig.EMBEDDED));
    VirtualDevice device =
        new VirtualDevice(
            rig.device().orElseThrow(), SecureDraws.system(), RigClock.system(), RigClock.system());
    List<String> events = new CopyOnWriteArrayList<>();
    phone =
        Pn532CardEmulation.open(
            Pn532UartSettings.of(pty.host().toString(), DkProfile.T_APDU)
                .withBoardTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    assertTrue(phone.firmware().startsWith("PN532 v1.6"), phone.firmware());
    phone.serve(device, new Recorder(events));
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
    assertEquals(0, vehicle.exit(), vehicle.out() + vehicle.err() + emulatorErr() + events);
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(
        report.get("reader").asText().startsWith(Pcscd.READER_0 + " (ATR 3B80800101"),
        "an HCE-like ATS, no historical bytes: " + report.get("reader").asText());

    assertTrue(events.stream().noneMatch(e -> e.startsWith("failed")), events.toString());
    long activations = events.stream().filter(e -> e.equals("activated")).count();
    long releases = events.stream().filter(e -> e.startsWith("released")).count();
    assertTrue(activations >= 3, "the pairing's NFC sessions each activate the phone: " + events);
    assertTrue(releases >= activations - 1, "each NFC reset releases the phone: " + events);
    assertTrue(
        Files.readString(dir.resolve("emulate.out"))
            .startsWith(
                "dkrig emulate: playing the phone's PN532 board in card emulation on "
                    + pty.device()),
        Files.readString(dir.resolve("emulate.out")));

    // The phone leaves the pad: its board stops arming, and the card leaves the slot.
    phone.close();
    awaitCard(false);
    assertTrue(emulator.isAlive(), "the board stays for the next phone: " + emulatorErr());
  }

  /** Waits until the emulated board says it serves its line. */
  private void awaitBoard() throws Exception {
    Path out = dir.resolve("emulate.out");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(out) && Files.readString(out).contains("Ctrl-C stops")) {
        return;
      }
      assertTrue(emulator.isAlive(), "emulate --pn532-target stopped: " + emulatorErr());
      Thread.sleep(100);
    }
    throw new AssertionError("the emulated board never started: " + emulatorErr());
  }

  /** Waits until pcscd reports a card in reader 00 00 ({@code present}) or none. */
  private void awaitCard(boolean present) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
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
        "the card " + (present ? "never appeared" : "never left") + ": " + emulatorErr());
  }

  private String emulatorErr() throws Exception {
    Path err = dir.resolve("emulate.err");
    return Files.exists(err) ? Files.readString(err) : "";
  }

  /** The phone driver's events, in order. */
  private record Recorder(List<String> events) implements Pn532CardEmulation.Listener {
    @Override
    public void armed() {
      events.add("armed");
    }

    @Override
    public void activated() {
      events.add("activated");
    }

    @Override
    public void released(String why) {
      events.add("released " + why);
    }

    @Override
    public void failed(String cause) {
      events.add("failed " + cause);
    }
  }
}
