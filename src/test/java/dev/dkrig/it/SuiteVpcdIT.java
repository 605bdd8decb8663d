package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.conformance.Scenarios;
import dev.dkrig.testing.Pcscd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 through PC/SC: {@code dkrig emulate --vpcd} serves the virtual device (with or without
 * quirks) in a pcscd reader slot, and {@code dkrig suite --rig rigs/pcsc.yaml} runs the conformance
 * suite against it through javax.smartcardio. The device persists across scenarios as a phone does;
 * the suite prints its delete-key prompts and goes on ({@code --prompt-wait 0s}). This JVM owns its
 * pcscd and never opens a PC/SC context itself.
 */
class SuiteVpcdIT {
  @RegisterExtension static final LauncherBench BENCH = new LauncherBench();
  @TempDir Path dir;

  /** Starts the emulator on reader 00 00 and waits until pcscd reports the card. */
  private void emulate(String... quirks) throws Exception {
    List<String> args = new ArrayList<>(List.of("emulate", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0));
    for (String quirk : quirks) {
      args.add("--device-quirk");
      args.add(quirk);
    }
    BENCH.start(dir, "emulate", args);
    BENCH.awaitCard(dir, true, () -> SuiteLauncher.output(dir, "emulate"));
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
