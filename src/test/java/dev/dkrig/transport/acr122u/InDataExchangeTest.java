package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pn532.Pn532Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §2.3 Mode B step 4: {@code D4 40 01 <C-APDU>} → {@code D5 41 <status> <R-APDU>}. */
class InDataExchangeTest {
  private static final int ESCAPE = EscapeCodes.LIBCCID;
  private static final CommandApdu SELECT_FRAMEWORK =
      CommandApdu.parse("00A404000DA000000809434343444B46763100");

  private static Acr122u reader(ScriptedReaderControl control) {
    return new Acr122u(control, ESCAPE, new VirtualClock(Instant.EPOCH));
  }

  @ParameterizedTest(name = "status {0}")
  @CsvSource({
    "00, true, false, false, 00 (success)",
    "01, false, true, false, 01 (timeout: the target did not answer)",
    "0B, false, true, false, 0B (RF protocol error)",
    "13, false, true, false, 13 (invalid received frame (ISO-DEP or DEP format error))",
    "27, false, false, false, 27 (command not acceptable in the current context)",
    "29, false, true, false, 29 (target released)",
    "40, true, false, true, '40 (success, MI)'",
    "3F, false, false, false, 3F (unknown error)"
  })
  void decodesTheStatusByte(
      String hex, boolean success, boolean rfError, boolean moreInformation, String text) {
    Pn532Status status = new Pn532Status(Integer.parseInt(hex, 16));
    assertEquals(success, status.isSuccess());
    assertEquals(rfError, status.isRfError());
    assertEquals(moreInformation, status.moreInformation());
    assertEquals(text, status.describe());
  }

  @Test
  void nadAndMiAreFlagsNotErrorCodes() {
    Pn532Status status = new Pn532Status(0xC1);
    assertEquals(0x01, status.errorCode());
    assertTrue(status.nad());
    assertTrue(status.moreInformation());
    assertFalse(status.isSuccess());
  }

  @Test
  void anRfErrorMeansTheLinkIsLostAChipErrorIsTheBench() {
    assertEquals(
        TransportException.Kind.TAG_LOST,
        Acr122uException.forPn532Status(new Pn532Status(0x01), "x").kind());
    assertEquals(
        Acr122uException.Reason.RF_LINK_FAILED,
        Acr122uException.forPn532Status(new Pn532Status(0x02), "x").reason());
    assertEquals(
        TransportException.Kind.IO,
        Acr122uException.forPn532Status(new Pn532Status(0x27), "x").kind());
    assertEquals(
        Acr122uException.Reason.PN532_ERROR,
        Acr122uException.forPn532Status(new Pn532Status(0x0E), "x").reason());
  }

  @Test
  void exchangesAnApduWithTarget1() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(
                ESCAPE,
                "FF 00 00 00 16 D4 40 01 00A404000DA000000809434343444B46763100",
                "D5 41 00 5A04010101005C0401010100D40102 9000 90 00");
    ResponseApdu response = reader(control).inDataExchange(SELECT_FRAMEWORK);
    assertEquals(0x9000, response.sw());
    assertEquals(ResponseApdu.parse("5A04010101005C0401010100D401029000"), response);
    control.assertDone();
  }

  @Test
  void aTimeoutStatusIsTagLost() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(
                ESCAPE,
                "FF 00 00 00 16 D4 40 01 00A404000DA000000809434343444B46763100",
                "D5 41 01 90 00");
    Acr122uException e =
        assertThrows(
            Acr122uException.class, () -> reader(control).inDataExchange(SELECT_FRAMEWORK));
    assertEquals(TransportException.Kind.TAG_LOST, e.kind());
    assertEquals(
        "InDataExchange: PN532 status 01 (timeout: the target did not answer); the phone may have"
            + " left or moved on the pad",
        e.getMessage());
  }

  @Test
  void aChainedAnswerIsRefused() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(
                ESCAPE,
                "FF 00 00 00 16 D4 40 01 00A404000DA000000809434343444B46763100",
                "D5 41 40 0102 90 00");
    Acr122uException e =
        assertThrows(
            Acr122uException.class, () -> reader(control).inDataExchange(SELECT_FRAMEWORK));
    assertEquals(Acr122uException.Reason.UNEXPECTED_RESPONSE, e.reason());
  }

  @Test
  void aPhoneAnswerWithoutStatusWordIsTheDevicesFault() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(
                ESCAPE,
                "FF 00 00 00 16 D4 40 01 00A404000DA000000809434343444B46763100",
                "D5 41 00 5A 90 00");
    TransportException e =
        assertThrows(
            TransportException.class, () -> reader(control).inDataExchange(SELECT_FRAMEWORK));
    assertEquals(TransportException.Kind.BAD_RESPONSE, e.kind());
  }

  @Test
  void aFullWriteDataDoesNotFitOneFrame() {
    CommandApdu writeData = CommandApdu.of(0x84, 0xD4, 0x00, 0x00, new byte[248]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reader(ScriptedReaderControl.direct()).inDataExchange(writeData));
    assertTrue(e.getMessage().startsWith("254-byte C-APDU: Mode A yes"), e.getMessage());
  }
}
