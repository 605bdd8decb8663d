package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §2.2: {@code FF 00 48 00 00} answers ASCII such as ACR122U207, without status word. */
class FirmwareVersionTest {

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"ACR122U207, 2.07", "ACR122U214, 2.14", "ACR122U200, 2.00", "ACR122U101, 1.01"})
  void readsTheVersionDigits(String text, String version) {
    FirmwareVersion firmware = FirmwareVersion.parse(ascii(text));
    assertEquals(version, firmware.version());
    assertEquals(text, firmware.text());
  }

  @Test
  void aTrailingStatusWordIsTolerated() {
    FirmwareVersion firmware = FirmwareVersion.parse(Hex.decode("414352313232553230379000"));
    assertEquals("2.07", firmware.version());
    assertEquals("ACR122U207", firmware.text());
  }

  @Test
  void firmwareBelow200IsRefusedWithAReason() {
    Acr122uException e =
        assertThrows(
            Acr122uException.class,
            () -> FirmwareVersion.parse(ascii("ACR122U102")).requireSupported());
    assertEquals(Acr122uException.Reason.FIRMWARE_TOO_OLD, e.reason());
    assertTrue(e.getMessage().startsWith("ACR122U firmware 1.02 is below 2.00"), e.getMessage());
  }

  @Test
  void supportedVersionsPass() {
    FirmwareVersion firmware = FirmwareVersion.parse(ascii("ACR122U200"));
    assertEquals(firmware, firmware.requireSupported());
  }

  @Test
  void bytesThatAreNotTextAreUnreadable() {
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> FirmwareVersion.parse(Hex.decode("D5039000")));
    assertEquals(Acr122uException.Reason.FIRMWARE_UNREADABLE, e.reason());
    assertTrue(e.getMessage().contains("D5039000"), e.getMessage());
  }

  @Test
  void anotherReaderIsNamed() {
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> FirmwareVersion.parse(ascii("ACR1252U_V1.08")));
    assertEquals(Acr122uException.Reason.NOT_AN_ACR122U, e.reason());
  }

  @Test
  void anAcr122uTextWithoutDigitsIsUnreadable() {
    Acr122uException e =
        assertThrows(Acr122uException.class, () -> FirmwareVersion.parse(ascii("ACR122U")));
    assertEquals(Acr122uException.Reason.FIRMWARE_UNREADABLE, e.reason());
    assertThrows(Acr122uException.class, () -> FirmwareVersion.parse(new byte[0]));
  }

  @Test
  void adviceForVersionsBelowTheRecommended207() {
    assertTrue(
        FirmwareVersion.parse(ascii("ACR122U203")).advice().orElseThrow().contains("0x0004"));
    assertTrue(FirmwareVersion.parse(ascii("ACR122U206")).advice().orElseThrow().contains("2.07"));
    assertEquals(Optional.empty(), FirmwareVersion.parse(ascii("ACR122U207")).advice());
    assertEquals(Optional.empty(), FirmwareVersion.parse(ascii("ACR122U214")).advice());
  }
}
