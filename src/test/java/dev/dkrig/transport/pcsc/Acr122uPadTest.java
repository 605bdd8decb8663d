package dev.dkrig.transport.pcsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pn532.EcpFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16, items 1 to 4: the ACR122U pad against the modelled reader ({@link ModelledAcr122u}):
 * pcsc-lite's RAW rule, the forms of the {@code FF 00 50}/{@code 51} answers, and an iPhone that
 * ignores the poll right after the car-pairing ECP frame.
 */
class Acr122uPadTest {
  private static final Duration SLICE = Duration.ofMillis(250);
  private static final EcpFrame PAIRING =
      EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, EcpFrame.carTci(0x020, 1));

  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final List<String> notes = new ArrayList<>();

  private PcscTransport transport(FakeReader reader, Optional<EcpFrame> ecp) {
    return new PcscTransport(
        ReaderSelection.of(Optional.empty(), Map.of()),
        Duration.ofSeconds(5),
        clock,
        Optional.of(new PcscTransport.Acr122uOptions(true, true, ecp)),
        notes::add,
        () -> List.of(reader));
  }

  /** Polls as a run does, slice by slice; the number of slices it took, or -1. */
  private static int pollUntilFound(PcscTransport t, int slices) throws InterruptedException {
    for (int i = 1; i <= slices; i++) {
      if (t.awaitTarget(SLICE)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  @DisplayName(
      "items 1 and 4: ECP rounds (MaxRetries FF 01 00) find an iPhone that ignores the poll after"
          + " the frame, without an exception out of awaitTarget")
  void ecpFindsTheIphone() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.phoneOnPad = true;
    PcscTransport t = transport(acr.reader, Optional.of(PAIRING));
    t.startPolling();
    assertTrue(pollUntilFound(t, 8) > 0, acr.reader.log + " " + notes);
    assertTrue(acr.ecpFrames >= 1);
    assertEquals(1, acr.pollsIgnored);
    assertFalse(acr.maxRetries.isEmpty());
    assertTrue(acr.maxRetries.stream().allMatch("FF0100"::equals), acr.maxRetries.toString());
    assertTrue(acr.autoPolling(), "the reader polls by itself again: Mode A carries the APDUs");
    assertFalse(acr.heldByPn532);
    assertTrue(notes.isEmpty(), notes.toString());
    assertFalse(
        acr.reader.log.stream().anyMatch(l -> l.contains("refused")), acr.reader.log.toString());
  }

  @Test
  @DisplayName(
      "item 4: a phone that answers the next round's InListPassiveTarget is handed to Mode A")
  void phoneFoundByTheNextRound() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.phoneOnPad = true;
    PcscTransport t = transport(acr.reader, Optional.of(PAIRING));
    t.startPolling();
    // Short slices: the firmware polls once per slice, so the round after the ignored poll finds
    // the phone in Mode B.
    boolean found = false;
    for (int i = 0; i < 8 && !found; i++) {
      found = t.awaitTarget(Duration.ofMillis(10));
    }
    assertTrue(found, acr.reader.log.toString());
    assertTrue(
        acr.reader.log.contains("control 42000001 FF00000003D45201"),
        "InRelease after the round found the phone: " + acr.reader.log);
    assertTrue(acr.autoPolling());
  }

  @ParameterizedTest
  @EnumSource(ModelledAcr122u.PiccForm.class)
  @DisplayName("item 3: FF 00 50/51 answered 90 xx, bare xx or bare 00: extras on, ECP works")
  void everyPiccAnswerForm(ModelledAcr122u.PiccForm form) throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.piccForm = form;
    acr.phoneOnPad = true;
    PcscTransport t = transport(acr.reader, Optional.of(PAIRING));
    t.startPolling();
    assertTrue(pollUntilFound(t, 8) > 0, acr.reader.log + " " + notes);
    assertTrue(notes.isEmpty(), notes.toString());
  }

  @Test
  @DisplayName("item 2: the phone already on the pad at start-up: no RAW, the connect succeeds")
  void phoneAlreadyPlaced() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.reader.present = true;
    PcscTransport t = transport(acr.reader, Optional.empty());
    t.startPolling();
    assertTrue(t.awaitTarget(SLICE), acr.reader.log.toString());
    assertFalse(acr.reader.log.contains("connect direct"), acr.reader.log.toString());
    assertTrue(acr.reader.log.contains("control 42000001 FF00480000"), acr.reader.log.toString());
  }

  @Test
  @DisplayName(
      "item 2: a tap racing an escape on a direct connection: released with a reset, connect"
          + " succeeds")
  void tapRacingAnEscape() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    PcscTransport t = transport(acr.reader, Optional.empty());
    t.startPolling();
    acr.reader.log.clear();
    acr.reader.onConnectDirect = () -> acr.reader.present = true;
    assertFalse(t.awaitTarget(SLICE));
    acr.reader.onConnectDirect = () -> {};
    assertTrue(acr.reader.log.contains("disconnect direct reset"), acr.reader.log.toString());
    assertTrue(t.awaitTarget(SLICE), acr.reader.log.toString());
    assertFalse(
        acr.reader.log.stream().anyMatch(l -> l.contains("refused")), acr.reader.log.toString());
  }

  @Test
  @DisplayName("item 2: a card left with RAW by another program is reset once, with a note")
  void rawLeftByAnotherProgram() throws Exception {
    FakeReader reader = new FakeReader("dkrig vpcd 00 00");
    reader.present = false;
    PcscTransport t =
        new PcscTransport(
            ReaderSelection.of(Optional.empty(), Map.of()),
            Duration.ofSeconds(5),
            clock,
            Optional.empty(),
            notes::add,
            () -> List.of(reader));
    t.startPolling();
    reader.present = true;
    reader.connect("direct").disconnect(false);
    assertTrue(t.awaitTarget(SLICE), reader.log.toString());
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("SCARD_E_PROTO_MISMATCH"), notes.get(0));
  }

  @Test
  @DisplayName(
      "item 2: NFC reset with the phone staying (pcscd misses 20 ms without field): the next"
          + " connect succeeds")
  void nfcResetWithThePhoneStaying() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.reader.present = true;
    PcscTransport t = transport(acr.reader, Optional.empty());
    t.startPolling();
    assertTrue(t.awaitTarget(SLICE));
    acr.reader.log.clear();
    t.reset();
    assertTrue(
        acr.reader.log.contains("control 42000001 FF00000004D4320100"), acr.reader.log.toString());
    assertTrue(t.awaitTarget(SLICE), acr.reader.log.toString());
    assertFalse(acr.reader.log.contains("connect direct"), acr.reader.log.toString());
  }

  @Test
  @DisplayName("no unchecked exception leaves the polling loop: an ERROR cause (IO) instead")
  void unexpectedFailureWhilePolling() throws Exception {
    ModelledAcr122u acr = new ModelledAcr122u();
    PcscTransport t = transport(acr.reader, Optional.of(PAIRING));
    t.startPolling();
    java.util.function.Function<byte[], byte[]> normal = acr.reader.controls;
    acr.reader.controls =
        command -> {
          if (Hex.encode(command).startsWith("FF000000")) {
            throw new IllegalStateException("the driver broke");
          }
          return normal.apply(command);
        };
    TransportException e = assertThrows(TransportException.class, () -> t.awaitTarget(SLICE));
    assertEquals(TransportException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains("the driver broke"), e.getMessage());
  }

  @Test
  @DisplayName(
      "doctor's probe reads firmware and PICC parameter, changes nothing, no RAW with a card")
  void doctorProbe() {
    ModelledAcr122u acr = new ModelledAcr122u();
    acr.piccForm = ModelledAcr122u.PiccForm.BARE_VALUE;
    acr.parameter = 0x7F;
    acr.reader.present = true;
    Acr122uProbe probe = Acr122uProbe.probe(acr.reader, Map.of());
    assertTrue(
        probe
            .summary()
            .startsWith(
                "firmware ACR122U215; escape commands work; PICC operating"
                    + " parameter 7F (no auto polling"),
        probe.summary());
    assertEquals(0x7F, acr.parameter);
    assertFalse(acr.reader.log.contains("connect direct"), acr.reader.log.toString());
    acr.reader.controls = command -> null;
    assertEquals(
        "firmware unread; escape commands refused: ",
        Acr122uProbe.probe(acr.reader, Map.of()).summary().substring(0, 42));
  }
}
