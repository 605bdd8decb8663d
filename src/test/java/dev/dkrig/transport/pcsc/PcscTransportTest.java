package dev.dkrig.transport.pcsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The PC/SC transport's own logic, on a fake reader: the ACR122U extras, errors, T_Apdu. */
class PcscTransportTest {
  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final List<String> notes = new ArrayList<>();

  private PcscTransport transport(FakeReader reader, boolean acr) {
    return new PcscTransport(
        ReaderSelection.of(Optional.empty(), Map.of()),
        Duration.ofSeconds(5),
        clock,
        acr
            ? Optional.of(new PcscTransport.Acr122uOptions(true, true, Optional.empty()))
            : Optional.empty(),
        notes::add,
        () -> List.of(reader));
  }

  /** Answers like an ACR122U to escape commands: firmware, LED, PN532 through Direct Transmit. */
  private static byte[] acr122u(byte[] command) {
    String hex = Hex.encode(command);
    if (hex.equals("FF00480000")) {
      return "ACR122U207".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    if (hex.equals("FF00500000")) {
      return Hex.decode("90FF");
    }
    if (hex.startsWith("FF0051")) {
      return Hex.decode("90" + hex.substring(6, 8));
    }
    if (hex.startsWith("FF0040")) {
      return Hex.decode("9002");
    }
    if (hex.startsWith("FF000000")) {
      int cmd = command[6] & 0xFF;
      return Hex.decode("D5" + Hex.u8(cmd + 1) + (cmd == 0x44 ? "00" : "") + "9000");
    }
    return Hex.decode("9000");
  }

  @Test
  @DisplayName("ACR122U: firmware by escape, NFC reset = card reset then DESELECT, RF off, RF on")
  void acr122uFieldReset() throws Exception {
    FakeReader reader = new FakeReader("ACS ACR122U PICC Interface 00 00");
    reader.controls = PcscTransportTest::acr122u;
    reader.apdus =
        command -> Hex.encode(command).startsWith("FF") ? acr122u(command) : Hex.decode("9000");
    PcscTransport t = transport(reader, true);
    t.startPolling();
    assertTrue(reader.log.contains("control 42000001 FF00480000"), reader.log.toString());
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    assertTrue(t.description().contains("firmware ACR122U207"), t.description());
    reader.log.clear();
    reader.present = false;
    t.reset();
    List<String> expected =
        List.of(
            "disconnect reset",
            "connect direct",
            "control 42000001 FF00000003D44401",
            "disconnect direct",
            "connect direct",
            "control 42000001 FF00000004D4320100",
            "disconnect direct",
            "connect direct",
            "control 42000001 FF00000004D4320101",
            "disconnect direct");
    assertEquals(expected, reader.log);
    assertTrue(notes.isEmpty(), notes.toString());
  }

  @Test
  @DisplayName(
      "ACR122U without libccid's escape option: one note, plain PC/SC reset, pairing goes on")
  void escapeRefused() throws Exception {
    FakeReader reader = new FakeReader("ACS ACR122U PICC Interface 00 00");
    reader.controls = command -> null;
    PcscTransport t = transport(reader, true);
    t.startPolling();
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).startsWith("ACR122U extras off"), notes.get(0));
    assertTrue(notes.get(0).contains("ifdDriverOptions"), notes.get(0));
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    reader.log.clear();
    t.reset();
    assertEquals(List.of("disconnect reset"), reader.log);
  }

  @Test
  @DisplayName("another reader: no escape command ever")
  void plainReader() throws Exception {
    FakeReader reader = new FakeReader("dkrig vpcd 00 00");
    PcscTransport t = transport(reader, true);
    t.startPolling();
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    t.transmit(CommandApdu.parse("00A404000DA000000809434343444B46763100"));
    t.reset();
    assertFalse(reader.log.stream().anyMatch(l -> l.startsWith("control")), reader.log.toString());
    assertEquals("transmit 00A404000DA000000809434343444B46763100", reader.log.get(1));
  }

  @Test
  @DisplayName("§18.18: a removed card is TAG_LOST; the next poll connects again")
  void removedCard() throws Exception {
    FakeReader reader = new FakeReader("dkrig vpcd 00 00");
    PcscTransport t = transport(reader, false);
    t.startPolling();
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    reader.removed = true;
    TransportException e =
        assertThrows(TransportException.class, () -> t.transmit(CommandApdu.parse("803C1001")));
    assertEquals(TransportException.Kind.TAG_LOST, e.kind());
    reader.removed = false;
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
  }

  @Test
  @DisplayName("§13 T_Apdu: an answer later than T_Apdu is a timeout")
  void lateAnswer() throws Exception {
    FakeReader reader = new FakeReader("dkrig vpcd 00 00");
    reader.onTransmit = () -> clock.advance(Duration.ofSeconds(6));
    PcscTransport t = transport(reader, false);
    t.startPolling();
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    TransportException e =
        assertThrows(TransportException.class, () -> t.transmit(CommandApdu.parse("803C1001")));
    assertEquals(TransportException.Kind.TIMEOUT, e.kind());
  }

  @Test
  @DisplayName("a reader choice that cannot be made is READER_GONE with the list")
  void noReader() {
    PcscTransport t =
        new PcscTransport(
            ReaderSelection.of(Optional.of("omnikey"), Map.of()),
            Duration.ofSeconds(5),
            clock,
            Optional.empty(),
            notes::add,
            () -> List.of(new FakeReader("dkrig vpcd 00 00")));
    TransportException e = assertThrows(TransportException.class, t::startPolling);
    assertEquals(TransportException.Kind.READER_GONE, e.kind());
    assertTrue(e.getMessage().contains("[1] dkrig vpcd 00 00"), e.getMessage());
  }
}
