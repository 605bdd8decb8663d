package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.TransportException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §2.2: Direct Transmit {@code FF 00 00 00 Lc D4 ...}, its answer and its 63xx errors. */
class DirectTransmitTest {
  private static final int ESCAPE = EscapeCodes.LIBCCID;

  private static Acr122u reader(ScriptedReaderControl control) {
    return new Acr122u(control, ESCAPE, new VirtualClock(Instant.EPOCH));
  }

  @Test
  void wrapsThePn532CommandAndReturnsWhatFollowsD5Cmd1() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF 00 00 00 02 D4 02", "D5 03 32 01 06 07 90 00");
    assertArrayEquals(Hex.decode("32010607"), reader(control).directTransmit(Hex.decode("D4 02")));
    control.assertDone();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "6300, OPERATION_FAILED",
    "6301, PN532_NO_RESPONSE",
    "6327, PN532_CHECKSUM",
    "637F, PN532_BAD_COMMAND",
    "6312, UNEXPECTED_RESPONSE"
  })
  void status63xxIsANamedError(String sw, Acr122uException.Reason reason) {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", sw);
    Acr122uException e = assertThrows(Acr122uException.class, () -> reader(control).rfOff());
    assertEquals(reason, e.reason());
    assertEquals(TransportException.Kind.IO, e.kind());
  }

  @Test
  void theMessageNamesTheCommandAndTheCause() {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 00 00 04 D4 32 01 00", "6301");
    Acr122uException e = assertThrows(Acr122uException.class, () -> reader(control).rfOff());
    assertEquals(
        "RFConfiguration: 63 01, the PN532 inside the ACR122U did not answer; unplug and re-plug",
        e.getMessage());
  }

  @ParameterizedTest(name = "answer {0}")
  @CsvSource({"D5 35 90 00", "D4 33 90 00", "D5 33 63 00", "D5 33", "''", "9000"})
  void anythingButD5Cmd1With9000IsUnexpected(String answer) {
    ScriptedReaderControl control =
        ScriptedReaderControl.direct().control(ESCAPE, "FF 00 00 00 04 D4 32 01 01", answer);
    Acr122uException e = assertThrows(Acr122uException.class, () -> reader(control).rfOn());
    assertEquals(Acr122uException.Reason.UNEXPECTED_RESPONSE, e.reason());
  }

  @Test
  void refusesCommandsThatAreNotPn532HostCommands() {
    Acr122u acr = reader(ScriptedReaderControl.direct());
    assertThrows(IllegalArgumentException.class, () -> acr.directTransmit(Hex.decode("D5 02")));
    assertThrows(IllegalArgumentException.class, () -> acr.directTransmit(Hex.decode("D4")));
  }

  @Test
  void refusesFramesAboveThe254ByteHostFrame() {
    Acr122u acr = reader(ScriptedReaderControl.direct());
    byte[] tooLong = new byte[255];
    tooLong[0] = (byte) 0xD4;
    tooLong[1] = 0x40;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> acr.directTransmit(tooLong));
    assertEquals("PN532 host command of 255 bytes exceeds the ACR122U's 254", e.getMessage());
  }

  @Test
  void the254ByteHostFrameStillGoesOut() {
    byte[] command = new byte[254];
    command[0] = (byte) 0xD4;
    command[1] = 0x00;
    ScriptedReaderControl control =
        ScriptedReaderControl.direct()
            .control(ESCAPE, "FF000000FE" + Hex.encode(command), "D5 01 00 90 00");
    reader(control).directTransmit(command);
    control.assertDone();
  }
}
