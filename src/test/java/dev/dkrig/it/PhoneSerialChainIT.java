package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.StepIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's whole bench but the radio, with the command a user runs on each side: {@code dkrig
 * pair --rig rigs/pcsc.yaml} ⇄ pcscd ⇄ vpcd ⇄ {@code dkrig emulate --pn532-target} (the phone's
 * PN532 board in card emulation) ⇄ a socat pty pair ⇄ {@code dkrig phone --rig
 * rigs/phone-pn532.yaml --serial-port}. Both sides PASS and the phone exits by itself. Run it
 * inside {@code /work/bin/isolated}.
 */
class PhoneSerialChainIT {
  private static Pcscd pcscd;
  @TempDir Path dir;
  private SocatPty pty;
  private final List<Process> processes = new ArrayList<>();

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
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (pty != null) {
      pty.close();
    }
  }

  @Test
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml ⇄ pcscd ⇄ vpcd ⇄ emulate --pn532-target ⇄ socat ⇄ dkrig"
          + " phone --serial-port: both PASS, the phone exits by itself")
  void bothPassThroughTheChain() throws Exception {
    pty = SocatPty.start(dir.resolve("pty"));
    processes.add(
        SuiteLauncher.start(
            dir,
            "emulate",
            List.of(
                "emulate",
                "--pn532-target",
                pty.device().toString(),
                "--vpcd",
                "127.0.0.1:" + Pcscd.PORT_0)));
    awaitOutput("emulate", "Ctrl-C stops");
    Path json = dir.resolve("phone.json");
    Process phone =
        SuiteLauncher.start(
            dir,
            "phone",
            List.of(
                "phone",
                "--rig",
                rig().toString(),
                "--serial-port",
                pty.host().toString(),
                "--json",
                json.toString()));
    processes.add(phone);
    awaitCard();

    SuiteLauncher.Result vehicle =
        SuiteLauncher.run(
            dir, "pair", "pair", "--rig", "rigs/pcsc.yaml", "-r", Pcscd.READER_0, "-q");
    assertEquals(0, vehicle.exit(), vehicle.out() + vehicle.err() + text("phone.err"));
    assertTrue(phone.waitFor(90, TimeUnit.SECONDS), "the phone did not exit: " + text("phone.err"));
    assertEquals(0, phone.exitValue(), text("phone.out") + text("phone.err"));
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals("phone", report.get("role").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(
        report.get("reader").asText().startsWith("PN532 on " + pty.host() + " (PN532 v1.6"),
        report.get("reader").asText());
  }

  /**
   * rigs/phone-pn532.yaml with its files named absolutely and the board's timeouts of a loaded CI
   * machine (an emulated board answers from another JVM).
   */
  private Path rig() throws Exception {
    Path rigs = Path.of("rigs").toAbsolutePath();
    String text =
        Files.readString(rigs.resolve("phone-pn532.yaml"), StandardCharsets.UTF_8)
            .replace(" test-pki/", " " + rigs.resolve("test-pki") + "/")
            .replace(" ../profiles/", " " + rigs.getParent().resolve("profiles") + "/")
            .replace("ackTimeout: 500ms", "ackTimeout: 2s")
            .replace("commandTimeout: 1s", "commandTimeout: 3s");
    Path rig = dir.resolve("phone-pn532.yaml");
    Files.writeString(rig, text, StandardCharsets.UTF_8);
    return rig;
  }

  private void awaitOutput(String name, String text) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (text(name + ".out").contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " never said '" + text + "': " + text(name + ".err"));
  }

  /** Waits until pcscd reports a card in reader 00 00: the phone's board is armed. */
  private void awaitCard() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      SuiteLauncher.Result readers = SuiteLauncher.run(dir, "readers", "readers");
      if (readers.out().lines().anyMatch(l -> l.contains(Pcscd.READER_0) && l.contains("card"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the phone's board never reached the slot: " + text("phone.err") + text("emulate.err"));
  }

  private String text(String file) throws Exception {
    Path path = dir.resolve(file);
    return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
  }
}
