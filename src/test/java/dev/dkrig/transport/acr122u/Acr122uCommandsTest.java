package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every reader command's exact bytes, and the path it takes: escape ({@code SCardControl}) on a
 * direct connection, {@code SCardTransmit} while a card is connected (notes §2.1, §2.2).
 */
class Acr122uCommandsTest {
  private static final int ESCAPE = EscapeCodes.LIBCCID;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final VirtualClock clock = new VirtualClock(T0);

  private Acr122u reader(ScriptedReaderControl control) {
    return new Acr122u(control, ESCAPE, clock);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ACS ACR122U PICC Interface 00 00",
        "ACS ACR122U PICC Interface (1A2B3C4D) 00 00",
        "acs acr122u",
        "ACS ACR122 0"
      })
  void detectsTheReaderByNameFragment(String name) {
    assertTrue(Acr122u.isAcr122u(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Virtual PCD 00 00", "ACS ACR1252 1S CL Reader PICC 0", ""})
  void otherReadersAreNotAnAcr122u(String name) {
    assertFalse(Acr122u.isAcr122u(name));
    assertFalse(Acr122u.isAcr122u(null));
  }

  @Test
  void firmwareGoesThroughTheEscapeWithoutACard() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 48 00 00", "41435231323255323037");
    assertEquals("2.07", reader(control).requireSupportedFirmware().version());
    control.assertDone();
    assertEquals(List.of("CONTROL 42000001 FF00480000"), control.calls());
  }

  @Test
  void firmwareGoesThroughTransmitWhileACardIsConnected() {
    ScriptedReaderControl control =
        ScriptedReaderControl.withCard().transmit("FF 00 48 00 00", "41435231323255323037");
    assertEquals("2.07", reader(control).firmwareVersion().version());
    control.assertDone();
  }

  @Test
  void theWindowsCodeIsPassedThroughUnchanged() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(EscapeCodes.WINDOWS, "FF 00 48 00 00", "41435231323255323037");
    new Acr122u(control, EscapeCodes.WINDOWS, clock).firmwareVersion();
    control.assertDone();
  }

  @Test
  void oldFirmwareIsRefused() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 48 00 00", "41435231323255313031");
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> reader(control).requireSupportedFirmware());
    assertEquals(Acr122uException.Reason.FIRMWARE_TOO_OLD, e.reason());
    assertEquals(TransportException.Kind.IO, e.kind());
  }

  @Test
  void aRefusedEscapeNamesTheFix() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .controlFails(
                ESCAPE,
                "FF 00 48 00 00",
                new TransportException(
                    TransportException.Kind.IO, "SCARD_E_NOT_TRANSACTED (0x80100016)"));
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> reader(control).firmwareVersion());
    assertEquals(Acr122uException.Reason.ESCAPE_FAILED, e.reason());
    assertEquals(
        "firmware: the escape command (SCardControl 0x42000001) was refused:"
            + " SCARD_E_NOT_TRANSACTED (0x80100016); on Linux set ifdDriverOptions to 0x0001 in"
            + " /etc/libccid_Info.plist and restart pcscd (./dkrig doctor explains)",
        e.getMessage());
  }

  @Test
  void aVanishedReaderIsNotMistakenForARefusedEscape() {
    TransportException gone =
        new TransportException(TransportException.Kind.READER_GONE, "reader unplugged");
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().controlFails(ESCAPE, "FF 00 48 00 00", gone);
    assertSame(
        gone, assertThrows(TransportException.class, () -> reader(control).firmwareVersion()));
  }

  @Test
  void piccOperatingParameterGetAndSet() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 50 00 00", "90 FF")
            .control(ESCAPE, "FF 00 51 7F 00", "90 7F")
            .control(ESCAPE, "FF 00 51 E1 00", "90 E1");
    Acr122u acr = reader(control);
    assertEquals(PiccOperatingParameter.FACTORY_DEFAULT, acr.piccOperatingParameter());
    acr.setPiccOperatingParameter(PiccOperatingParameter.MANUAL_POLLING);
    acr.useAutoPolling(PiccOperatingParameter.TYPE_A_ONLY);
    control.assertDone();
  }

  @Test
  void piccAnswersAsTheBareParameterByteAreRead() {
    // Issue 16 item 3: firmware 2.15 and others answer the bare byte; libnfc and nfcpy do not
    // read the answer of FF 00 51 at all.
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 50 00 00", "7F")
            .control(ESCAPE, "FF 00 51 FF 00", "00")
            .control(ESCAPE, "FF 00 51 7F 00", "7F")
            .control(ESCAPE, "FF 00 50 00 00", "7F 90 00");
    Acr122u acr = reader(control);
    assertEquals(PiccOperatingParameter.MANUAL_POLLING, acr.piccOperatingParameter());
    acr.useAutoPolling(PiccOperatingParameter.FACTORY_DEFAULT);
    acr.setPiccOperatingParameter(PiccOperatingParameter.MANUAL_POLLING);
    assertEquals(PiccOperatingParameter.MANUAL_POLLING, acr.piccOperatingParameter());
    control.assertDone();
  }

  @Test
  void aPiccAnswerInNoKnownFormIsNamed() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 50 00 00", "01 02 03 04");
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> reader(control).piccOperatingParameter());
    assertEquals(Acr122uException.Reason.UNEXPECTED_RESPONSE, e.reason());
    assertEquals(
        "get PICC parameter: expected 90 <value> or the bare value, got 01020304", e.getMessage());
  }

  @Test
  void aParameterTheReaderDidNotTakeIsReported() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 51 7F 00", "90 FF");
    Acr122uException e =
        assertThrows(
            Acr122uException.class,
            () -> reader(control).setPiccOperatingParameter(PiccOperatingParameter.MANUAL_POLLING));
    assertEquals(Acr122uException.Reason.UNEXPECTED_RESPONSE, e.reason());
  }

  @Test
  void autoPollingOffIsNotModeA() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            reader(ScriptedReaderControl.direct())
                .useAutoPolling(PiccOperatingParameter.MANUAL_POLLING));
  }

  @Test
  void aFailedParameterCommandIsNamed() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 50 00 00", "63 00");
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> reader(control).piccOperatingParameter());
    assertEquals(Acr122uException.Reason.OPERATION_FAILED, e.reason());
  }

  @Test
  void ledAndBuzzerStates() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 40 AE 04 02 02 01 00", "90 02")
            .control(ESCAPE, "FF 00 40 0F 04 00 00 00 00", "90 03")
            .control(ESCAPE, "FF 00 40 0E 04 01 00 01 01", "90 02");
    Acr122u acr = reader(control);
    assertEquals(0x02, acr.show(Indicator.WAITING_FOR_TAP));
    assertEquals(0x03, acr.show(Indicator.PAIRING));
    assertEquals(0x02, acr.show(Indicator.PASS));
    control.assertDone();
  }

  @Test
  void ledCommandsTakeTheTransmitPathWithACard() {
    ScriptedReaderControl control =
        ScriptedReaderControl.withCard().transmit("FF 00 40 0D 04 0A 00 01 01", "90 01");
    assertEquals(0x01, reader(control).show(Indicator.FAIL));
    control.assertDone();
  }

  @Test
  void aT0AcknowledgementIsFollowedByGetResponse() {
    ScriptedReaderControl control =
        ScriptedReaderControl.withCard()
            .transmit("FF 00 00 00 04 D4 32 01 00", "61 04")
            .transmit("FF C0 00 00 04", "D5 33 90 00");
    reader(control).rfOff();
    control.assertDone();
  }

  @Test
  void rfFieldOffAndOn() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "D5 33 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", "D5 33 90 00");
    Acr122u acr = reader(control);
    acr.rfOff();
    acr.rfOn();
    control.assertDone();
  }

  @Test
  void deselectAndRelease() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 03 D4 44 01", "D5 45 00 90 00")
            .control(ESCAPE, "FF 00 00 00 03 D4 52 01", "D5 53 27 90 00");
    Acr122u acr = reader(control);
    assertTrue(acr.deselect().isSuccess());
    assertEquals(0x27, acr.release().errorCode());
    control.assertDone();
  }

  @Test
  void nfcResetDeselectsThenKeepsTheFieldOffForTheGivenTime() throws InterruptedException {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 03 D4 44 01", "D5 45 00 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "D5 33 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", "D5 33 90 00");
    reader(control).nfcReset(Duration.ofMillis(15));
    control.assertDone();
    assertEquals(T0.plusMillis(15), clock.now());
  }

  @Test
  void nfcResetWithAPhoneConnectedSwitchesToTheEscapeWhenTheCardGoes() throws InterruptedException {
    ScriptedReaderControl control =
        ScriptedReaderControl.withCard()
            .transmit("FF 00 00 00 03 D4 44 01", "D5 45 00 90 00")
            .transmit("FF 00 00 00 04 D4 32 01 00", "D5 33 90 00")
            .thenConnection(ReaderControl.Connection.DIRECT)
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", "D5 33 90 00");
    reader(control).nfcReset(Acr122u.MINIMUM_FIELD_OFF);
    control.assertDone();
  }

  @Test
  void nfcResetGoesOnWhenDeselectFails() throws InterruptedException {
    ScriptedReaderControl control =
        ScriptedReaderControl.withCard()
            .transmitFails(
                "FF 00 00 00 03 D4 44 01",
                new TransportException(TransportException.Kind.TAG_LOST, "SCARD_W_REMOVED_CARD"))
            .thenConnection(ReaderControl.Connection.DIRECT)
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "D5 33 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", "D5 33 90 00");
    reader(control).nfcReset(Duration.ofMillis(10));
    control.assertDone();

    ScriptedReaderControl failing =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 03 D4 44 01", "63 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "D5 33 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", "D5 33 90 00");
    reader(failing).nfcReset(Duration.ofMillis(10));
    failing.assertDone();
  }

  @Test
  void nfcResetRefusesLessThan10Ms() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reader(ScriptedReaderControl.direct()).nfcReset(Duration.ofMillis(9)));
    assertEquals("§3.2 needs the field off for at least 10 ms, not 9 ms", e.getMessage());
  }

  @Test
  void nfcResetStopsWhenTheFieldCannotBeSwitched() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 03 D4 44 01", "D5 45 00 90 00")
            .control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "63 01");
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> reader(control).nfcReset(Duration.ofMillis(10)));
    assertEquals(Acr122uException.Reason.PN532_NO_RESPONSE, e.reason());
  }
}
