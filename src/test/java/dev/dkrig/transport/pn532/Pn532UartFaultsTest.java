package dev.dkrig.transport.pn532;

import static dev.dkrig.transport.pn532.Pn532UartTransportTest.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.emulate.Pn532Emulator.Fault;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Pn532PtyBench;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.Vectors;
import dev.dkrig.transport.TransportException.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the board or the line can fail gives a named error within the configured timeout, never
 * a hang (§13 T_Apdu, §18.18): the emulator misbehaves on purpose, over a socat pty pair.
 */
@Timeout(60)
class Pn532UartFaultsTest {
  private static final Duration ACK = Duration.ofMillis(400);
  private static final Duration COMMAND = Duration.ofSeconds(1);
  private static final Duration T_APDU = Duration.ofMillis(1500);

  /** Scheduling on a loaded 2-core CI machine, on top of the configured wait. */
  private static final double MARGIN_MILLIS = 1000;

  private static final CommandApdu SELECT =
      CommandApdu.parse(Vectors.transcript().get(0).command());
  private static final String SELECT_RESPONSE = Hex.encode(Vectors.transcript().get(0).response());

  @TempDir Path dir;

  private Pn532UartTransport transport(Pn532PtyBench bench) throws InterruptedException {
    Pn532UartTransport transport =
        new Pn532UartTransport(
            bench.settings().withBoardTimeouts(ACK, COMMAND).withApduTimeout(T_APDU));
    transport.startPolling();
    assertTrue(transport.awaitTarget(Duration.ofSeconds(5)));
    return transport;
  }

  private Pn532PtyBench bench(Fault fault) throws Exception {
    return Pn532PtyBench.start(
        dir, Pn532PtyBench.t1Device(), Pn532Emulator.Options.defaults().withFaults(fault));
  }

  private static Fault onFirstApdu(Fault.Kind kind) {
    return Fault.on(kind, Pn532Command.IN_DATA_EXCHANGE, 1);
  }

  /** Runs {@code action}, expecting {@code reason} within {@code limitMillis} + margin. */
  private static Pn532Exception expect(
      Pn532Exception.Reason reason, double limitMillis, Runnable action) {
    long started = System.nanoTime();
    Pn532Exception e = assertThrows(Pn532Exception.class, action::run);
    double took = millisSince(started);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(reason.kind(), e.kind());
    assertTrue(
        took < limitMillis + MARGIN_MILLIS,
        reason + " took " + took + " ms, limit " + limitMillis + " ms + margin");
    return e;
  }

  @Test
  @DisplayName("one bad checksum: NACK, the retransmission is good, the APDU goes through")
  void badChecksumOnceIsRepaired() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.CORRUPT_CHECKSUM));
        Pn532UartTransport transport = transport(bench)) {
      assertEquals(SELECT_RESPONSE, Hex.encode(transport.transmit(SELECT).bytes()));
    }
  }

  @Test
  @DisplayName("a bad checksum twice: CORRUPT_FRAME (IO) at once, and the next APDU works")
  void badChecksumTwice() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.CORRUPT_CHECKSUM).times(2));
        Pn532UartTransport transport = transport(bench)) {
      Pn532Exception e =
          expect(Pn532Exception.Reason.CORRUPT_FRAME, 0, () -> transport.transmit(SELECT));
      assertEquals(Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("DCS mismatch"), e.getMessage());
      assertEquals(SELECT_RESPONSE, Hex.encode(transport.transmit(SELECT).bytes()));
    }
  }

  @Test
  @DisplayName("the board NACKs once: dkrig sends the command again and it goes through")
  void nackOnceIsRepaired() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.NACK));
        Pn532UartTransport transport = transport(bench)) {
      assertEquals(SELECT_RESPONSE, Hex.encode(transport.transmit(SELECT).bytes()));
    }
  }

  @Test
  @DisplayName("the board NACKs twice: NACKED (IO) at once")
  void nackTwice() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.NACK).times(2));
        Pn532UartTransport transport = transport(bench)) {
      expect(Pn532Exception.Reason.NACKED, 0, () -> transport.transmit(SELECT));
    }
  }

  @Test
  @DisplayName("the application error frame: APPLICATION_ERROR (IO) at once")
  void applicationErrorFrame() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.ERROR_FRAME));
        Pn532UartTransport transport = transport(bench)) {
      expect(Pn532Exception.Reason.APPLICATION_ERROR, 0, () -> transport.transmit(SELECT));
    }
  }

  @Test
  @DisplayName("the board falls silent mid-run: BOARD_SILENT (READER_GONE) after the ACK timeout")
  void silentBoardMidRun() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.SILENT));
        Pn532UartTransport transport = transport(bench)) {
      Pn532Exception e =
          expect(
              Pn532Exception.Reason.BOARD_SILENT, ACK.toMillis(), () -> transport.transmit(SELECT));
      assertTrue(e.getMessage().contains("did not acknowledge InDataExchange"), e.getMessage());
    }
  }

  @Test
  @DisplayName("no board answers at all: start-up fails with BOARD_SILENT after the ACK timeout")
  void silentBoardAtStart() throws Exception {
    try (Pn532PtyBench bench = bench(Fault.onNth(Fault.Kind.SILENT, 1))) {
      Pn532UartTransport transport =
          new Pn532UartTransport(bench.settings().withBoardTimeouts(ACK, COMMAND));
      Pn532Exception e =
          expect(Pn532Exception.Reason.BOARD_SILENT, ACK.toMillis(), transport::startPolling);
      assertTrue(e.getMessage().contains("SAMConfiguration"), e.getMessage());
      transport.close();
    }
  }

  @Test
  @DisplayName("§18.18: the device stays silent (board alive): DEVICE_TIMEOUT (TIMEOUT) at T_Apdu")
  void silentDevice() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.STALL));
        Pn532UartTransport transport = transport(bench)) {
      long started = System.nanoTime();
      Pn532Exception e =
          expect(
              Pn532Exception.Reason.DEVICE_TIMEOUT,
              T_APDU.toMillis(),
              () -> transport.transmit(SELECT));
      assertTrue(millisSince(started) >= T_APDU.toMillis());
      assertEquals(Kind.TIMEOUT, e.kind());
      assertEquals(
          SELECT_RESPONSE,
          Hex.encode(transport.transmit(SELECT).bytes()),
          "the abort (host ACK) freed the board for the next command");
    }
  }

  @Test
  @DisplayName("the board vanishes after its ACK: READER_GONE once the probe after T_Apdu fails")
  void boardVanishesMidExchange() throws Exception {
    try (Pn532PtyBench bench = bench(onFirstApdu(Fault.Kind.VANISH));
        Pn532UartTransport transport = transport(bench)) {
      Pn532Exception e =
          expect(
              Pn532Exception.Reason.BOARD_SILENT,
              T_APDU.toMillis() + ACK.toMillis(),
              () -> transport.transmit(SELECT));
      assertEquals(Kind.READER_GONE, e.kind());
      assertTrue(e.getMessage().contains("stopped answering"), e.getMessage());
      assertTrue(bench.emulator().awaitStop(Duration.ofSeconds(5)));
      assertTrue(bench.emulator().stopReason().startsWith("vanished"));
    }
  }

  @Test
  @DisplayName("the port disappears mid-exchange (socat ends): BOARD_GONE (READER_GONE) at once")
  void portDisappearsMidExchange() throws Exception {
    AtomicReference<SocatPty> line = new AtomicReference<>();
    ContactlessCard unplugging =
        new ContactlessCard() {
          @Override
          public void activate() {}

          @Override
          public byte[] process(byte[] command) {
            line.get().close();
            return Hex.decode("9000");
          }

          @Override
          public void deactivate() {}
        };
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, unplugging);
        Pn532UartTransport transport = transport(bench)) {
      line.set(bench.pty());
      Pn532Exception e =
          expect(Pn532Exception.Reason.BOARD_GONE, 0, () -> transport.transmit(SELECT));
      assertTrue(bench.pty().awaitExit(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains(bench.pty().host().toString()), e.getMessage());
      expect(Pn532Exception.Reason.BOARD_GONE, 0, () -> transport.transmit(SELECT));
      expect(Pn532Exception.Reason.BOARD_GONE, 0, transport::reset);
    }
  }
}
