package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.testing.SocatPty;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -q} on a run that ends in ERROR: {@code dkrig phone} prints what {@code dkrig pair} prints
 * in the same situation (a PN532 board that does not answer on its serial port: one end of a socat
 * pty pair with nothing at the other; a port that is not there ends before the run, exit 4), the
 * verdict line and its "first problem" line on stdout, once, and nothing on stderr.
 */
class PhoneQuietTest {
  @TempDir Path dir;

  @Test
  @DisplayName("phone -q and pair -q ending ERROR: verdict and first problem on stdout only, once")
  void quietErrorAsPair() throws Exception {
    CliRun pair;
    CliRun phone;
    Path port;
    try (SocatPty pty = SocatPty.start(dir.resolve("pty"))) {
      port = pty.host();
      pair =
          CliRun.of(
              "pair",
              "-q",
              "--state-dir",
              dir.resolve("state").toString(),
              "--rig",
              "rigs/pn532-uart.yaml",
              "--serial-port",
              port.toString());
      phone =
          CliRun.of(
              "phone", "-q", "--rig", "rigs/phone-pn532.yaml", "--serial-port", port.toString());
    }
    for (CliRun run : List.of(pair, phone)) {
      assertEquals(3, run.exitCode(), run.out() + run.err());
      assertEquals("", run.err(), "nothing on stderr with -q");
      List<String> lines = run.out().lines().toList();
      assertEquals(2, lines.size(), run.out());
      assertTrue(lines.get(0).startsWith("Verdict: ERROR  42 steps ("), run.out());
      assertTrue(lines.get(1).startsWith("  first problem: P1.6 ERROR: "), run.out());
      assertTrue(lines.get(1).contains(port.toString()), run.out());
    }
  }
}
