package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §0 item 7 and §1.4: SCARD_CTL_CODE per PC/SC stack and driver. */
class EscapeCodesTest {

  @Test
  void pcscLiteAndWindowsDefineTheMacroDifferently() {
    assertEquals(0x42000001, EscapeCodes.LIBCCID);
    assertEquals(0x42000DAC, EscapeCodes.ACS_DRIVER);
    assertEquals(0x3136B0, EscapeCodes.WINDOWS);
    assertEquals(3225264, EscapeCodes.WINDOWS);
    assertEquals(0x42000000 + 3400, EscapeCodes.pcscLite(3400));
  }

  @ParameterizedTest(name = "os.name \"{0}\" -> {1}")
  @CsvSource({
    "Linux, LINUX",
    "Mac OS X, MACOS",
    "Darwin, MACOS",
    "Windows 11, WINDOWS",
    "Windows Server 2022, WINDOWS",
    "FreeBSD, OTHER",
    "'', OTHER"
  })
  void platformFromOsName(String osName, EscapeCodes.Platform platform) {
    assertEquals(platform, EscapeCodes.platformOf(osName));
  }

  @ParameterizedTest(name = "os.name \"{0}\" -> {1}")
  @CsvSource({
    "Linux, 0x42000001",
    "Mac OS X, 0x42000DAC",
    "Windows 10, 0x003136B0",
    "FreeBSD, 0x42000001"
  })
  void defaultChoiceByPlatform(String osName, String hex) {
    assertEquals(hex, EscapeCodes.choose(osName, Optional.empty()).hex());
  }

  @ParameterizedTest(name = "override \"{0}\" -> {1}")
  @CsvSource({
    "libccid, 0x42000001",
    "ACS, 0x42000DAC",
    "windows, 0x003136B0",
    "0x42000001, 0x42000001",
    "1107296257, 0x42000001",
    "0x3136b0, 0x003136B0"
  })
  void anOverrideWinsOverThePlatform(String override, String hex) {
    EscapeCodes.Choice choice = EscapeCodes.choose("Linux", Optional.of(override));
    assertEquals(hex, choice.hex());
    assertTrue(choice.reason().contains("override"), choice.reason());
  }

  @Test
  void aBlankOverrideMeansChooseByPlatform() {
    assertEquals(EscapeCodes.LIBCCID, EscapeCodes.choose("Linux", Optional.of("  ")).value());
  }

  @Test
  void aBadOverrideIsNamedInOneLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EscapeCodes.choose("Linux", Optional.of("ccid")));
    assertEquals(
        "escape control code \"ccid\" is neither libccid, acs, windows nor a 32-bit number"
            + " (e.g. 0x42000001)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EscapeCodes.parse("0x1FFFFFFFF"));
  }

  @Test
  void theHelpSaysWhatToSetWhereAndToRestartPcscd() {
    String help = EscapeCodes.IFD_DRIVER_OPTIONS_HELP;
    assertTrue(help.contains("/etc/libccid_Info.plist"));
    assertTrue(help.contains("ifdDriverOptions"));
    assertTrue(help.contains("0x0001"));
    assertTrue(help.contains("restart pcscd"));
    assertTrue(help.contains(EscapeCodes.OVERRIDE_ENV));
  }
}
