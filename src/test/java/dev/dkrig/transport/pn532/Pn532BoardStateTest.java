package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Pn532PtyBench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 items 5 and 6: the board states another tool or an earlier run may leave a PN532 in,
 * over a socat pty pair against the emulator's board quirks.
 */
@Timeout(60)
class Pn532BoardStateTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String SELECT_FRAMEWORK = "00A404000DA000000809434343444B46763100";

  @TempDir Path dir;

  @Test
  @DisplayName(
      "item 5: a board with automatic RATS off gets SetParameters 14; the phone has an ATS")
  void automaticRatsOff() throws Exception {
    Pn532Emulator.Options options = Pn532Emulator.Options.defaults().withQuirk("no-auto-rats");
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device(), options);
        Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
      transport.startPolling();
      assertTrue(transport.awaitTarget(WAIT));
      assertEquals("0578807002", Hex.encode(transport.target().orElseThrow().ats()));
      assertEquals(0x9000, transport.transmit(CommandApdu.parse(SELECT_FRAMEWORK)).sw());
    }
  }

  @Test
  @DisplayName(
      "item 6: baudRate 230400 through SetSerialBaudRate, the host's ACK and both line speeds"
          + " (the pty's termios), and back to 115200 on close")
  void changeOfSpeed() throws Exception {
    Pn532Emulator.Options options = Pn532Emulator.Options.defaults().withQuirk("baud-230400");
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device(), options, true)) {
      try (Pn532UartTransport transport =
          new Pn532UartTransport(bench.settings().withBaudRate(230400))) {
        transport.startPolling();
        assertEquals(230400, bench.emulator().lineSpeed());
        assertTrue(transport.awaitTarget(WAIT));
        assertEquals(0x9000, transport.transmit(CommandApdu.parse(SELECT_FRAMEWORK)).sw());
        assertTrue(transport.description().endsWith(", 230400 baud"), transport.description());
      }
      assertEquals(115200, lineSpeedSettled(bench, 115200));
      // The next run finds the board at 115200 again and moves it once more.
      try (Pn532UartTransport again =
          new Pn532UartTransport(bench.settings().withBaudRate(230400))) {
        again.startPolling();
        assertTrue(again.awaitTarget(WAIT));
      }
    }
  }

  @Test
  @DisplayName(
      "item 6: a board left at 230400 by a killed run: silent at 115200 (BOARD_SILENT for a"
          + " 115200 rig), found at the rig's 230400")
  void boardLeftAtTheRigsSpeed() throws Exception {
    Pn532Emulator.Options options = Pn532Emulator.Options.defaults().withQuirk("baud-230400");
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device(), options, true)) {
      AtomicReference<SerialLink> line = new AtomicReference<>();
      SerialLink.Opener keeping =
          (path, rate) -> {
            SerialLink opened = JSerialCommLink.open(path, rate);
            line.set(opened);
            return opened;
          };
      Pn532UartTransport killed =
          new Pn532UartTransport(bench.settings().withBaudRate(230400), keeping);
      killed.startPolling();
      line.get().close();
      killed.close();
      assertEquals(230400, bench.emulator().lineSpeed());

      try (Pn532UartTransport at115200 = new Pn532UartTransport(bench.settings())) {
        Pn532Exception e = assertThrows(Pn532Exception.class, at115200::startPolling);
        assertEquals(Pn532Exception.Reason.BOARD_SILENT, e.reason());
        assertTrue(e.getMessage().contains("at 115200 baud?"), e.getMessage());
      }
      try (Pn532UartTransport again =
          new Pn532UartTransport(bench.settings().withBaudRate(230400))) {
        again.startPolling();
        assertTrue(again.awaitTarget(WAIT));
      }
      assertEquals(115200, lineSpeedSettled(bench, 115200));
    }
  }

  /**
   * The board's speed once it had {@link #WAIT} to reach {@code expected}: close() returns after
   * sending the ACK that moves the board, which the emulator's thread reads a moment later (longer
   * on a loaded machine).
   */
  private static int lineSpeedSettled(Pn532PtyBench bench, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (bench.emulator().lineSpeed() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return bench.emulator().lineSpeed();
  }
}
