package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.pn532.EcpFrame;
import dev.dkrig.transport.pn532.EcpRound;
import dev.dkrig.transport.pn532.MaxRetries;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Notes §2.4, "Sending ECP through a PN532 / ACR122U": Mode B, bounded InListPassiveTarget,
 * WriteRegister CIU_BitFraming, InCommunicateThru with the frame and CRC, expecting {@code D5 43
 * 01}. All through the escape channel: no card is connected.
 */
class EcpSequenceTest {
  private static final int ESCAPE = EscapeCodes.LIBCCID;
  private static final EcpFrame PAIRING =
      EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, EcpFrame.carTci(0x020, 1));

  private static final String MANUAL_POLLING = "FF 00 51 7F 00";
  private static final String MAX_RETRIES = "FF 00 00 00 06 D4 32 05 00 01 02";
  private static final String IN_LIST_PASSIVE_TARGET = "FF 00 00 00 04 D4 4A 01 00";
  private static final String BIT_FRAMING_8 = "FF 00 00 00 05 D4 08 63 3D 00";
  private static final String ECP_THRU = "FF 00 00 00 0C D4 42 6A 02 C3 02 09 01 02 01 53 0B";

  private static Acr122u reader(ScriptedReaderControl control) {
    return new Acr122u(control, ESCAPE, new VirtualClock(Instant.EPOCH));
  }

  private static ScriptedReaderControl manualMode() {
    return ScriptedReaderControl.direct()
        .control(ESCAPE, MANUAL_POLLING, "90 7F")
        .control(ESCAPE, MAX_RETRIES, "D5 33 90 00");
  }

  @Test
  void aRoundWithNoTagSendsTheFrameAndSeesTheExpectedTimeout() {
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(ESCAPE, IN_LIST_PASSIVE_TARGET, "D5 4B 00 90 00")
            .control(ESCAPE, BIT_FRAMING_8, "D5 09 90 00")
            .control(ESCAPE, ECP_THRU, "D5 43 01 90 00");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    EcpRound round = acr.sendEcp(PAIRING, MaxRetries.BOUNDED);
    assertEquals(EcpRound.Outcome.SENT, round.outcome());
    assertEquals(0, round.data().length);
    control.assertDone();
    assertTrue(control.calls().stream().allMatch(call -> call.startsWith("CONTROL 42000001 ")));
  }

  @Test
  void theSubtype0bFrameGoesOutWithItsLength() {
    EcpFrame withReaderId =
        EcpFrame.carPairing(
            EcpFrame.DEFAULT_FLAGS, EcpFrame.carTci(0x020, 1), Hex.decode("A1A2A3A4A5A6A7A8"));
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(ESCAPE, IN_LIST_PASSIVE_TARGET, "D5 4B 00 90 00")
            .control(ESCAPE, BIT_FRAMING_8, "D5 09 90 00")
            .control(
                ESCAPE,
                "FF 00 00 00 14 D4 42 " + Hex.encode(withReaderId.withCrc()),
                "D5 43 01 90 00");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    assertEquals(EcpRound.Outcome.SENT, acr.sendEcp(withReaderId, MaxRetries.BOUNDED).outcome());
    control.assertDone();
  }

  @Test
  void aPhoneAnsweringThePollEndsTheRoundWithoutEcp() {
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(
                ESCAPE,
                IN_LIST_PASSIVE_TARGET,
                "D5 4B 01 01 00 04 20 04 08 AA BB CC 05 78 80 70 02 90 00");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    EcpRound round = acr.sendEcp(PAIRING, MaxRetries.BOUNDED);
    assertEquals(EcpRound.Outcome.TARGET_PRESENT, round.outcome());
    assertEquals("010004200408AABBCC0578807002", Hex.encode(round.data()));
    control.assertDone();
  }

  @Test
  void somethingAnsweringTheEcpFrameIsReported() {
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(ESCAPE, IN_LIST_PASSIVE_TARGET, "D5 4B 00 90 00")
            .control(ESCAPE, BIT_FRAMING_8, "D5 09 90 00")
            .control(ESCAPE, ECP_THRU, "D5 43 00 AB CD 90 00");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    EcpRound round = acr.sendEcp(PAIRING, MaxRetries.BOUNDED);
    assertEquals(EcpRound.Outcome.ANSWERED, round.outcome());
    assertEquals("ABCD", Hex.encode(round.data()));
  }

  @Test
  void anotherPn532StatusIsAnError() {
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(ESCAPE, IN_LIST_PASSIVE_TARGET, "D5 4B 00 90 00")
            .control(ESCAPE, BIT_FRAMING_8, "D5 09 90 00")
            .control(ESCAPE, ECP_THRU, "D5 43 27 90 00");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> acr.sendEcp(PAIRING, MaxRetries.BOUNDED));
    assertEquals(Acr122uException.Reason.PN532_ERROR, e.reason());
    assertEquals(
        "InCommunicateThru (ECP): PN532 status 27 (command not acceptable in the current context)",
        e.getMessage());
  }

  @Test
  void theReaderRefusingDirectTransmitStopsTheRound() {
    ScriptedReaderControl control =
        manualMode()
            .control(ESCAPE, MAX_RETRIES, "D5 33 90 00")
            .control(ESCAPE, IN_LIST_PASSIVE_TARGET, "63 7F");
    Acr122u acr = reader(control);
    acr.useManualPolling(MaxRetries.BOUNDED);
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> acr.sendEcp(PAIRING, MaxRetries.BOUNDED));
    assertEquals(Acr122uException.Reason.PN532_BAD_COMMAND, e.reason());
  }

  @Test
  void ecpNeedsModeBFirst() {
    ScriptedReaderControl control = ScriptedReaderControl.direct();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> reader(control).sendEcp(PAIRING, MaxRetries.BOUNDED));
    assertTrue(e.getMessage().startsWith("ECP needs Mode B"), e.getMessage());
    assertEquals(List.of(), control.calls());
  }

  @Test
  void unboundedRetriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MaxRetries(0x00, 0x01, 0xFF));
    // ATR_REQ retries never apply to a type A InListPassiveTarget: the ECP recipe's FF 01 00.
    assertEquals("D43205FF0100", Hex.encode(MaxRetries.ECP.pn532Command()));
    assertEquals("D432050001FE", Hex.encode(new MaxRetries(0x00, 0x01, 0xFE).pn532Command()));
    assertEquals("D4320500FF00", Hex.encode(new MaxRetries(0x00, 0xFF, 0x00).pn532Command()));
  }
}
