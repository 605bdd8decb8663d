package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.device.T1Material;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Pn532PtyBench;
import dev.dkrig.testing.Vectors;
import dev.dkrig.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PN532 transport against the PN532 emulator over a socat pty pair, with the T1 virtual device
 * as the target: the whole serial path as CI can run it (notes §3, §0 fact 8).
 */
@Timeout(60)
class Pn532UartTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration T_APDU = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  @DisplayName("§17.4.6: the whole T1 transcript over the serial line, every R-APDU byte for byte")
  void t1TranscriptOverTheSerialLine() throws Exception {
    VirtualDevice device = Pn532PtyBench.t1Device();
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, device);
        Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
      long started = System.nanoTime();
      transport.startPolling();
      double startup = millisSince(started);
      assertTrue(
          transport
              .description()
              .startsWith("PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092) on "),
          transport.description());
      assertTrue(transport.awaitTarget(WAIT));
      assertEquals(
          "ISO 14443-4A target 1: ATQA 0004, SAK 20, UID 08D17A3C (random), ATS 0578807002 (FSC 256)",
          transport.target().orElseThrow().toString());

      List<Vectors.Exchange> transcript = Vectors.transcript();
      int longestCommand = 0;
      int longestResponse = 0;
      double apduMillis = 0;
      for (Vectors.Exchange exchange : transcript) {
        if (exchange.note().startsWith("P4.1 SELECT applet")) {
          nfcReset(transport);
        }
        long sent = System.nanoTime();
        ResponseApdu response = transport.transmit(CommandApdu.parse(exchange.command()));
        apduMillis += millisSince(sent);
        assertEquals(
            Hex.encode(exchange.response()),
            Hex.encode(response.bytes()),
            "R-APDU of " + exchange.note());
        longestCommand = Math.max(longestCommand, exchange.command().length);
        longestResponse = Math.max(longestResponse, exchange.response().length);
        if (exchange.note().contains("then NFC reset")) {
          nfcReset(transport);
        }
      }
      assertEquals(254, longestCommand, "the WRITE DATA commands went in extended frames");
      assertEquals(250, longestResponse);
      assertEquals(4, bench.activations(), "one activation per NFC session of §17.4.6");
      assertEquals(3, bench.deactivations());
      assertTrue(device.digitalKey(T1Material.VEHICLE_IDENTIFIER).isPresent(), device.toString());
      System.out.printf(
          "PN532 over a socat pty: start-up (wake-up, SAMConfiguration, GetFirmwareVersion, "
              + "RFConfiguration x2) %.1f ms; %d T1 APDUs, mean round trip %.2f ms%n",
          startup, transcript.size(), apduMillis / transcript.size());
    }
  }

  @Test
  @DisplayName(
      "§3.2 NFC reset: InDeselect and field off deactivate the device; polling activates it")
  void resetDeactivatesAndReactivates() throws Exception {
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device());
        Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
      transport.startPolling();
      assertTrue(transport.awaitTarget(WAIT));
      CommandApdu select = CommandApdu.parse(Vectors.transcript().get(0).command());
      assertEquals(0x9000, transport.transmit(select).sw());
      assertEquals(1, bench.activations());
      int rounds = 50;
      long started = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        transport.transmit(select);
      }
      System.out.printf(
          "PN532 over a socat pty: SELECT framework (19-byte command, 17-byte answer), mean "
              + "round trip %.2f ms over %d%n",
          millisSince(started) / rounds, rounds);

      long before = System.nanoTime();
      transport.reset();
      assertTrue(millisSince(before) >= 20, "the field stays off for fieldOff (20 ms)");
      assertEquals(1, bench.deactivations());
      assertTrue(transport.target().isEmpty());
      TransportException lost =
          assertThrows(TransportException.class, () -> transport.transmit(select));
      assertEquals(TransportException.Kind.TAG_LOST, lost.kind());

      assertTrue(transport.awaitTarget(WAIT));
      assertEquals(2, bench.activations());
      assertEquals(
          Hex.encode(Vectors.transcript().get(0).response()),
          Hex.encode(transport.transmit(select).bytes()));

      transport.stopPolling();
      assertEquals(2, bench.deactivations(), "InRelease and field off on stop");
    }
  }

  @Test
  @DisplayName("a 254-byte command and a 250-byte answer, and MI chaining when the board splits it")
  void largestApdusAndMiChaining() throws Exception {
    byte[] answer = new byte[250];
    Arrays.fill(answer, (byte) 0xA5);
    answer[248] = (byte) 0x90;
    answer[249] = 0x00;
    Echo echo = new Echo(answer);
    for (int maxDataIn : new int[] {262, 64}) {
      Path run = dir.resolve("dataIn" + maxDataIn);
      try (Pn532PtyBench bench =
              Pn532PtyBench.start(
                  run, echo, Pn532Emulator.Options.defaults().withMaxDataIn(maxDataIn));
          Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
        transport.startPolling();
        assertTrue(transport.awaitTarget(WAIT));
        byte[] data = new byte[248];
        for (int i = 0; i < data.length; i++) {
          data[i] = (byte) i;
        }
        CommandApdu writeData = new CommandApdu(0x84, 0xD4, 0x00, 0x00, data, 0x00);
        assertEquals(254, writeData.bytes().length);
        ResponseApdu response = transport.transmit(writeData);
        assertArrayEquals(writeData.bytes(), echo.last, "the card got the whole APDU");
        assertArrayEquals(answer, response.bytes(), "maxDataIn " + maxDataIn);
        int rounds = 50;
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
          transport.transmit(writeData);
        }
        System.out.printf(
            "PN532 over a socat pty: 254-byte command / 250-byte answer (maxDataIn %d), mean "
                + "round trip %.2f ms over %d%n",
            maxDataIn, millisSince(started) / rounds, rounds);
      }
    }
  }

  @Test
  @DisplayName("no device on the pad: awaitTarget polls with bounded retries and returns false")
  void noTarget() throws Exception {
    AtomicBoolean present = new AtomicBoolean(false);
    try (Pn532PtyBench bench =
            Pn532PtyBench.start(
                dir,
                Pn532PtyBench.t1Device(),
                Pn532Emulator.Options.defaults().withPresence(present::get));
        Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
      transport.startPolling();
      long started = System.nanoTime();
      assertFalse(transport.awaitTarget(Duration.ofMillis(300)));
      double took = millisSince(started);
      assertTrue(took >= 300 && took < 300 + 1000, took + " ms");
      present.set(true);
      assertTrue(transport.awaitTarget(WAIT));
    }
  }

  @Test
  @DisplayName("§18.18: the device leaves the field mid-run: RF timeout status 01 is TAG_LOST")
  void deviceLeaves() throws Exception {
    AtomicBoolean present = new AtomicBoolean(true);
    try (Pn532PtyBench bench =
            Pn532PtyBench.start(
                dir,
                Pn532PtyBench.t1Device(),
                Pn532Emulator.Options.defaults().withPresence(present::get));
        Pn532UartTransport transport = new Pn532UartTransport(bench.settings())) {
      transport.startPolling();
      assertTrue(transport.awaitTarget(WAIT));
      present.set(false);
      Pn532Exception e =
          assertThrows(
              Pn532Exception.class,
              () -> transport.transmit(CommandApdu.parse(Vectors.transcript().get(0).command())));
      assertEquals(Pn532Exception.Reason.TARGET_LOST, e.reason());
      assertEquals(TransportException.Kind.TAG_LOST, e.kind());
      assertTrue(e.getMessage().contains("01 (timeout"), e.getMessage());
      assertTrue(transport.target().isEmpty());
    }
  }

  @Test
  @DisplayName(
      "notes §2.4: an ECP round with nobody on the pad sends the frame through InCommunicateThru")
  void ecpRound() throws Exception {
    AtomicBoolean present = new AtomicBoolean(false);
    EcpFrame ecp = EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, EcpFrame.carTci(0x020, 1));
    try (Pn532PtyBench bench =
            Pn532PtyBench.start(
                dir,
                Pn532PtyBench.t1Device(),
                Pn532Emulator.Options.defaults().withPresence(present::get));
        Pn532UartTransport transport =
            new Pn532UartTransport(bench.settings().withEcp(java.util.Optional.of(ecp)))) {
      transport.startPolling();
      assertEquals(EcpRound.Outcome.SENT, transport.sendEcp(ecp).outcome());
      assertEquals(
          List.of("6A02C30209010201530B"),
          bench.emulator().communicateThruFrames().stream().map(Hex::encode).toList());
      assertFalse(transport.awaitTarget(Duration.ofMillis(150)));
      present.set(true);
      assertTrue(transport.awaitTarget(WAIT), "the phone answers a later poll");
    }
  }

  @Test
  @DisplayName("a port that does not exist is PORT_UNAVAILABLE (READER_GONE), with the path")
  void missingPort() {
    Pn532UartTransport transport =
        new Pn532UartTransport(Pn532UartSettings.of(dir.resolve("nothing").toString(), T_APDU));
    Pn532Exception e = assertThrows(Pn532Exception.class, transport::startPolling);
    assertEquals(Pn532Exception.Reason.PORT_UNAVAILABLE, e.reason());
    assertEquals(TransportException.Kind.READER_GONE, e.kind());
    assertTrue(e.getMessage().contains(dir.resolve("nothing").toString()), e.getMessage());
    transport.close();
  }

  @Test
  void settingsRefuseWhatCannotWork() {
    Pn532UartSettings settings = Pn532UartSettings.of("/dev/ttyUSB0", T_APDU);
    assertThrows(IllegalArgumentException.class, () -> settings.withFieldOff(Duration.ofMillis(9)));
    assertThrows(IllegalArgumentException.class, () -> settings.withBaudRate(12345));
    assertThrows(IllegalArgumentException.class, () -> settings.withApduTimeout(Duration.ZERO));
    assertEquals(115200, settings.baudRate());
  }

  private static void nfcReset(Pn532UartTransport transport) throws InterruptedException {
    transport.reset();
    assertTrue(transport.awaitTarget(WAIT), "the device is found again after the NFC reset");
  }

  static double millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e6;
  }

  /** A card that records the last command and answers a fixed response. */
  private static final class Echo implements ContactlessCard {
    private final byte[] answer;
    private volatile byte[] last = new byte[0];

    Echo(byte[] answer) {
      this.answer = answer.clone();
    }

    @Override
    public void activate() {}

    @Override
    public byte[] process(byte[] command) {
      last = command.clone();
      return answer.clone();
    }

    @Override
    public void deactivate() {}
  }
}
