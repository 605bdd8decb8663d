package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.conformance.Scenarios;
import dev.dkrig.testing.Pcscd;
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
 * Issue 8 through PC/SC: {@code dkrig emulate --vpcd} serves the virtual device (with or without
 * quirks) in a pcscd reader slot, and {@code dkrig suite --rig rigs/pcsc.yaml} runs the conformance
 * suite against it through javax.smartcardio. The device persists across scenarios as a phone does;
 * the suite prints its delete-key prompts and goes on ({@code --prompt-wait 0s}). This JVM owns its
 * pcscd and never opens a PC/SC context itself.
 */
class SuiteVpcdIT {
  private static Pcscd pcscd;
  private final List<Process> emulators = new ArrayList<>();
  @TempDir Path dir;

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
  void stopEmulators() throws InterruptedException {
    for (Process p : emulators) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Starts the emulator on reader 00 00 and waits until pcscd reports the card. */
  private void emulate(String... quirks) throws Exception {
    List<String> args = new ArrayList<>(List.of("emulate", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0));
    for (String quirk : quirks) {
      args.add("--device-quirk");
      args.add(quirk);
    }
    emulators.add(SuiteLauncher.start(dir, "emulate", args));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      SuiteLauncher.Result readers = SuiteLauncher.run(dir, "readers", "readers");
      if (readers.out().lines().anyMatch(l -> l.contains(Pcscd.READER_0) && l.contains("card"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the emulated card never appeared: " + Files.readString(dir.resolve("emulate.err")));
  }

  private SuiteLauncher.Result suite(String name, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "suite",
                "suites/conformance.yaml",
                "--rig",
                "rigs/pcsc.yaml",
                "-r",
                "vpcd 00 00",
                "--prompt-wait",
                "0s",
                "-q"));
    args.addAll(List.of(more));
    return SuiteLauncher.run(dir, name, args.toArray(String[]::new));
  }

  @Test
  @DisplayName(
      "dkrig suite --rig rigs/pcsc.yaml against dkrig emulate --vpcd: every scenario PASS, exit 0")
  void conformancePassesThroughPcscd() throws Exception {
    emulate();
    Path reports = dir.resolve("reports");
    SuiteLauncher.Result r = suite("pass", "--report-dir", reports.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(Scenarios.names(), SuiteLauncher.passing(r.out()), r.out());
    assertEquals(Scenarios.names().size(), SuiteEvidenceCheck.check(reports, dir));
    assertTrue(r.err().contains("Delete the Digital Key of vehicle 444B524947563031"), r.err());
    assertTrue(r.err().contains("(non-interactive: going on)"), r.err());
  }

  @Test
  @DisplayName(
      "emulate --device-quirk accept-bad-mac, accept-bad-vehicle-signature, ignore-scrypt-limit:"
          + " exactly their scenarios FAIL through PC/SC, exit 1")
  void quirksThroughPcscd() throws Exception {
    String[] quirks = {"accept-bad-mac", "accept-bad-vehicle-signature", "ignore-scrypt-limit"};
    emulate(quirks);
    SuiteLauncher.Result r = suite("quirks");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(SuiteLauncher.catching(quirks), SuiteLauncher.failing(r.out()), r.out());
    assertTrue(
        r.out()
            .contains("AUTH1 with a bad vehicle signature answered 9000 (success), expected 6A88"),
        r.out());
  }

  @Test
  @DisplayName(
      "emulate --device-quirk keep-keys-after-error: every scenario with a session probe FAILs"
          + " through PC/SC, exit 1")
  void keepKeysThroughPcscd() throws Exception {
    emulate("keep-keys-after-error");
    SuiteLauncher.Result r = suite("keys");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(
        SuiteLauncher.catching("keep-keys-after-error"), SuiteLauncher.failing(r.out()), r.out());
    assertTrue(r.out().contains("expected 6985: the device kept the session"), r.out());
  }
}
