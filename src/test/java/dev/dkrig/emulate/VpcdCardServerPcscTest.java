package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.Bench;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.Poll;
import dev.dkrig.time.FixedClock;
import java.time.Duration;
import java.util.Set;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The virtual device behind a real pcscd: javax.smartcardio → pcscd 1.9.9 → vpcd → {@link
 * VpcdCardServer} → {@link VirtualDevice}, in the reader slot {@value Pcscd#READER_0}.
 */
class VpcdCardServerPcscTest {
  private static final long WAIT_MILLIS = 5_000;
  private static final Duration WAIT = Duration.ofMillis(WAIT_MILLIS);
  private static final CommandAPDU SELECT =
      new CommandAPDU(FrameworkCommands.selectFramework().bytes());
  private static final String T1_SELECT_RESPONSE = "5A04010101005C0401010100D401029000";

  private static CardTerminal terminal;
  private VpcdCardServer server;
  private Card card;

  @BeforeAll
  static void pcscd() throws Exception {
    Pcscd.shared();
    // getInstance, not getDefault: a PC/SC failure shows as an exception, not an empty list.
    terminal = TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(Pcscd.READER_0);
  }

  @BeforeEach
  void readerIsEmpty() throws Exception {
    assertTrue(terminal.waitForCardAbsent(WAIT_MILLIS), "a card left over in " + Pcscd.READER_0);
  }

  @AfterEach
  void takeTheCardAway() throws Exception {
    if (card != null) {
      try {
        card.disconnect(false);
      } catch (CardException | IllegalStateException e) {
        // Removed already: nothing to release.
      }
    }
    if (server != null) {
      server.close();
    }
    // The next test must not find this card still reported present.
    assertTrue(terminal.waitForCardAbsent(WAIT_MILLIS), "the card did not leave the reader");
  }

  private static VirtualDevice t1Device() {
    return new VirtualDevice(
        DeviceSettings.t1(),
        new TestModeDraws(),
        new FixedClock(Bench.TEST_DEVICE_TIME),
        new FixedClock(Bench.TEST_KTS_TIME));
  }

  private VpcdCardServer serve(ContactlessCard device) {
    return serve(VpcdCardServer.builder(device));
  }

  private VpcdCardServer serve(VpcdCardServerBuilder builder) {
    server = builder.port(Pcscd.PORT_0).build().start();
    return server;
  }

  private CardChannel connect() throws CardException {
    assertTrue(terminal.waitForCardPresent(WAIT_MILLIS), "no card in " + Pcscd.READER_0);
    card = terminal.connect("*");
    return card.getBasicChannel();
  }

  private static String hex(ResponseAPDU response) {
    return Hex.encode(response.getBytes());
  }

  private static String pcscCode(CardException e) {
    return e.getCause() == null ? String.valueOf(e.getMessage()) : e.getCause().getMessage();
  }

  @Test
  @DisplayName("javax.smartcardio lists dkrig vpcd 00 00 with a card: ATR 3B80800101, T=1")
  void readerAndAtr() throws Exception {
    serve(t1Device());
    assertTrue(terminal.waitForCardPresent(WAIT_MILLIS));
    assertTrue(
        TerminalFactory.getInstance("PC/SC", null).terminals().list().stream()
            .anyMatch(t -> t.getName().equals(Pcscd.READER_0)));
    connect();
    assertEquals("3B80800101", Hex.encode(card.getATR().getBytes()));
    assertEquals("T=1", card.getProtocol());
  }

  @Test
  @DisplayName("SELECT framework: T1's 5A04010101005C0401010100D40102 9000 (§17.4)")
  void selectFramework() throws Exception {
    serve(t1Device());
    CardChannel channel = connect();
    assertEquals(T1_SELECT_RESPONSE, hex(channel.transmit(SELECT)));
    assertEquals(1, server.apdusServed());
  }

  @Test
  @DisplayName("A 61XX reaches the caller untouched: no GET RESPONSE from the JDK (t1GetResponse)")
  void moreDataReachesTheCaller() throws Exception {
    assertEquals("false", System.getProperty("sun.security.smartcardio.t1GetResponse"));
    RecordingCard moreData = RecordingCard.answering("6110");
    serve(moreData);
    CardChannel channel = connect();
    assertEquals("6110", hex(channel.transmit(new CommandAPDU(Hex.decode("80CA000000")))));
    assertEquals(java.util.List.of("80CA000000"), moreData.commands());
  }

  @Test
  @DisplayName("remove(): transmit fails, then SCARD_W_REMOVED_CARD once pcscd saw it; insert()")
  void removeAndInsert() throws Exception {
    serve(t1Device());
    CardChannel channel = connect();
    assertEquals(T1_SELECT_RESPONSE, hex(channel.transmit(SELECT)));
    server.remove();
    assertTrue(terminal.waitForCardAbsent(WAIT_MILLIS));
    CardException lost = assertThrows(CardException.class, () -> channel.transmit(SELECT));
    assertEquals("SCARD_W_REMOVED_CARD", pcscCode(lost));

    server.insert();
    CardChannel again = connect();
    assertEquals(T1_SELECT_RESPONSE, hex(again.transmit(SELECT)));
    assertEquals(2, server.insertions());
  }

  @Test
  @DisplayName(
      "vanishAfter(1): the next transmit fails (NOT_TRANSACTED or REMOVED_CARD); it returns")
  void vanishesMidRun() throws Exception {
    serve(t1Device());
    server.vanishAfter(1, Duration.ofMillis(200));
    CardChannel channel = connect();
    assertEquals(T1_SELECT_RESPONSE, hex(channel.transmit(SELECT)));
    // Before pcscd's next presence poll vpcd's write fails; after it the card is known removed.
    // Rarely the APDU reaches vpcd before the reset, and vpcd reports an empty response.
    RuntimeException lost =
        assertThrows(RuntimeException.class, () -> lostTagTransmit(channel), "the card stayed");
    assertTrue(
        Set.of("SCARD_E_NOT_TRANSACTED", "SCARD_W_REMOVED_CARD", "empty response")
            .contains(lost.getMessage()),
        lost.getMessage());
    Poll.until(WAIT, () -> server.insertions() == 2, "the card is inserted again");
    card.disconnect(false);
    CardChannel again = connect();
    assertEquals(T1_SELECT_RESPONSE, hex(again.transmit(SELECT)));
  }

  /** Transmits where the tag is gone; throws with the PC/SC code, or "empty response". */
  private static void lostTagTransmit(CardChannel channel) {
    try {
      channel.transmit(SELECT);
    } catch (CardException e) {
      throw new IllegalStateException(pcscCode(e), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("empty response", e);
    }
  }

  @Test
  @DisplayName("A silent device: after the silence limit vpcd hands the JDK an empty response")
  void silentDevice() throws Exception {
    RecordingCard mute =
        new RecordingCard(command -> command[1] == (byte) 0xA4 ? Hex.decode("9000") : null);
    serve(VpcdCardServer.builder(mute).silenceLimit(Duration.ofMillis(300)));
    CardChannel channel = connect();
    assertEquals("9000", hex(channel.transmit(SELECT)));
    long sent = System.nanoTime();
    // vpcd 3.3 returns 0 bytes with success; the JDK's ResponseAPDU refuses them.
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> channel.transmit(new CommandAPDU(Hex.decode("80CA000000"))));
    long heldMillis = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(heldMillis >= 290, "held " + heldMillis + " ms");
    assertTrue(empty.getMessage().contains("at least 2 bytes"), empty.getMessage());
    // The device stays on the pad: it is inserted again, and a new connection works.
    Poll.until(WAIT, () -> server.insertions() == 2, "the card is inserted again");
    CardException old = assertThrows(CardException.class, () -> channel.transmit(SELECT));
    assertEquals("SCARD_W_REMOVED_CARD", pcscCode(old));
    CardChannel again = connect();
    assertEquals("9000", hex(again.transmit(SELECT)));
  }

  @Test
  @DisplayName("APDU round trip well under 5 ms with TCP_QUICKACK (< 40 ms mean catches the stall)")
  void roundTrip() throws Exception {
    serve(t1Device());
    CardChannel channel = connect();
    for (int i = 0; i < 5; i++) {
      channel.transmit(SELECT);
    }
    int count = 50;
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      assertEquals(0x9000, channel.transmit(SELECT).getSW());
    }
    double meanMillis = (System.nanoTime() - started) / 1e6 / count;
    System.out.printf(
        java.util.Locale.ROOT,
        "vpcd APDU round trip (SELECT framework, %d APDUs): mean %.3f ms%n",
        count,
        meanMillis);
    assertTrue(meanMillis < 40, "mean " + meanMillis + " ms: the Nagle/delayed-ACK stall is back");
  }
}
