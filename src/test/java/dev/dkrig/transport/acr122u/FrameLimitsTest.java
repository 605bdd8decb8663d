package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.CommandApdu;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The frame-size arithmetic of {@link FrameLimits} with the contract's real command sizes (§3.3,
 * §3.4, §6.4; the T1 transcript of §17.4.6).
 */
class FrameLimitsTest {

  private static CommandApdu command(int cla, int ins, int dataLength) {
    return CommandApdu.of(cla, ins, 0x00, 0x00, new byte[dataLength]);
  }

  /** Protected command data for m plaintext bytes (§6.4): 16·(⌊m/16⌋ + 1) + 8. */
  private static int protectedLength(int plaintext) {
    return 16 * (plaintext / 16 + 1) + 8;
  }

  @Test
  void theLimitsFollowFromCcidLcAndThePn532HostFrame() {
    assertEquals(261, FrameLimits.MODE_A_MAX_APDU);
    assertEquals(4 + 1 + 255 + 1, FrameLimits.MODE_A_MAX_APDU);
    assertEquals(251, FrameLimits.MODE_B_MAX_APDU);
  }

  @ParameterizedTest(name = "{0}: {1} bytes")
  @CsvSource({
    "SELECT (framework or applet), 19",
    "SPAKE2+ REQUEST (Lc 31), 55",
    "SPAKE2+ VERIFY (Lc 55), 91",
    "WRITE DATA full (Lc F8), 254",
    "WRITE DATA T1 #3 (Lc 88), 142",
    "GET DATA (Lc 18), 30",
    "GET RESPONSE (Lc 08), 14",
    "AUTH0 (Lc 63), 105",
    "AUTH1 (Lc 42), 72",
    "EXCHANGE with up to 15 plaintext bytes (Lc 18), 30",
    "OP CONTROL FLOW / CONTROL FLOW, 4"
  })
  void contractCommandSizes(String name, int expected) {
    int size =
        switch (name.substring(0, 6)) {
          case "SELECT" -> command(0x00, 0xA4, 13).bytes().length;
          case "SPAKE2" ->
              name.contains("REQUEST")
                  ? command(0x80, 0x30, 4 + 6 + 35 + 4).bytes().length
                  : command(0x80, 0x32, 2 + 65 + 2 + 16).bytes().length;
          case "WRITE " ->
              name.contains("full")
                  ? command(0x84, 0xD4, protectedLength(239)).bytes().length
                  : command(0x84, 0xD4, protectedLength(122)).bytes().length;
          case "GET DA" -> command(0x84, 0xCA, protectedLength(2)).bytes().length;
          case "GET RE" -> command(0x84, 0xC0, 8).bytes().length;
          case "AUTH0 " -> command(0x80, 0x80, 4 + 67 + 18 + 10).bytes().length;
          case "AUTH1 " -> command(0x80, 0x81, 2 + 64).bytes().length;
          case "EXCHAN" -> command(0x84, 0xC9, protectedLength(15)).bytes().length;
          default -> CommandApdu.of(0x80, 0x3C, 0x10, 0x01).bytes().length;
        };
    assertEquals(expected, size, name);
    FrameLimits.Fit fit = FrameLimits.fit(size);
    assertTrue(fit.modeA(), name + " fits Mode A");
    assertEquals(size <= 251, fit.modeB(), name);
  }

  @Test
  void onlyAFullWriteDataMissesModeB() {
    FrameLimits.Fit fit = FrameLimits.fit(command(0x84, 0xD4, 248));
    assertEquals(254, fit.length());
    assertTrue(fit.modeA());
    assertFalse(fit.modeB());
    assertEquals(List.of(251, 3), fit.miParts());
    assertEquals(
        "254-byte C-APDU: Mode A yes (≤ 261, CCID message 271); Mode B no (> 251 = 254-byte PN532"
            + " host frame - D4 40 Tg); MI chaining would send [251, 3], which dkrig does not do",
        fit.explanation());
  }

  @ParameterizedTest(name = "{0} bytes: Mode B {1}")
  @CsvSource({
    "19, true",
    "54, true",
    "90, true",
    "104, true",
    "71, true",
    "251, true",
    "252, false"
  })
  void theSizesOfTheBriefAllFitBothPaths(int length, boolean modeB) {
    FrameLimits.Fit fit = FrameLimits.fit(length);
    assertTrue(fit.modeA());
    assertEquals(modeB, fit.modeB());
    assertEquals(modeB ? List.of() : List.of(251, 1), fit.miParts());
  }

  @Test
  void beyondAShortApduNothingFits() {
    FrameLimits.Fit fit = FrameLimits.fit(262);
    assertFalse(fit.modeA());
    assertFalse(fit.modeB());
    assertThrows(IllegalArgumentException.class, () -> FrameLimits.fit(3));
  }

  @Test
  void isoDepChainingBelowTheApdu() {
    // phone -> reader at the ACR122U's FSD of 64: 61 INF bytes per I-block
    assertEquals(5, FrameLimits.isoDepBlocks(250, 64));
    assertEquals(1, FrameLimits.isoDepBlocks(61, 64));
    assertEquals(2, FrameLimits.isoDepBlocks(62, 64));
    // reader -> phone with a phone FSC of 256
    assertEquals(2, FrameLimits.isoDepBlocks(254, 256));
    assertEquals(1, FrameLimits.isoDepBlocks(0, 64));
    assertThrows(IllegalArgumentException.class, () -> FrameLimits.isoDepBlocks(10, 3));
  }
}
