package dev.dkrig.transport.acr122u;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code SCardControl} code that reaches the ACR122U's MCU, per platform and driver.
 *
 * <p>{@code SCARD_CTL_CODE(n)} is defined differently by the two PC/SC stacks (notes §1.4):
 * pcsc-lite (Linux) and macOS use {@code 0x42000000 + n}; Windows uses {@code
 * CTL_CODE(FILE_DEVICE_SMARTCARD, n, METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x310000 | n << 2}. The
 * function number depends on the driver: libccid serves the vendor escape on {@code n = 1} ({@code
 * IOCTL_SMARTCARD_VENDOR_IFD_EXCHANGE}, notes §0 item 7, §2.1); ACS's own driver and Windows serve
 * it on {@code n = 3500} ({@code IOCTL_CCID_ESCAPE}).
 *
 * <p><b>macOS</b> (researched, not bench-tested): the formula is {@code 0x42000000 + n}, as on
 * Linux. Evidence: the CCID maintainer's own macOS sample code defines {@code SCARD_CTL_CODE(code)}
 * as {@code 0x42000000 + code} (blog.apdu.fr, "macOS Sonoma bug: SCardControl()"), and the CCID
 * feature list read on macOS carries {@code 0x4233xxxx} control codes; ebfe/scard and apdu4j use
 * the same value on macOS. libnfc's acr122_pcsc driver disagrees: it sends the Windows value {@code
 * 0x3136B0} on {@code __APPLE__}, with a comment asking for review. Which function number works
 * depends on the driver in use: Apple's bundled copy of libccid ({@code useIFDCCID}) would need
 * {@code n = 1} plus {@code ifdDriverOptions}, but its Info.plist lives under the system-protected
 * {@code /usr/libexec}; since Sonoma, Apple's own CCID class driver is the default and its escape
 * support is undocumented; ACS's macOS driver uses {@code n = 3500}. dkrig therefore defaults to
 * ACS's driver on macOS ({@code 0x42000DAC}). Confidence: high for the formula, low for which
 * driver accepts the ACR122U escape on current macOS: verify on a Mac, and use the override.
 *
 * <p>The override ({@value #OVERRIDE_ENV}, or a rig setting passed to {@link #choose}) accepts a
 * number ({@code 0x42000001}, {@code 1107296257}) or a name: {@code libccid}, {@code acs}, {@code
 * windows}.
 */
public final class EscapeCodes {

  /** The environment variable that overrides the choice by {@code os.name}. */
  public static final String OVERRIDE_ENV = "DKRIG_ACR122U_ESCAPE_CODE";

  /** libccid on Linux (and Apple's bundled libccid): {@code SCARD_CTL_CODE(1)} = 0x42000001. */
  public static final int LIBCCID = pcscLite(1);

  /** ACS's driver (libacsccid1, ACS macOS driver) on pcsc-lite or macOS: 0x42000DAC. */
  public static final int ACS_DRIVER = pcscLite(3500);

  /** Windows (Microsoft's CCID class driver or ACS's): {@code SCARD_CTL_CODE(3500)} = 0x3136B0. */
  public static final int WINDOWS = windows(3500);

  /**
   * What to tell a lab engineer when the escape path is refused (printed by {@code doctor} and by
   * {@link Acr122uException.Reason#ESCAPE_FAILED}).
   */
  public static final String IFD_DRIVER_OPTIONS_HELP =
      "The rig reaches the ACR122U's controller through the PC/SC escape channel (SCardControl) "
          + "whenever no phone is on the pad: firmware version, LEDs and buzzer, polling settings, "
          + "RF field, Apple ECP frames. On Linux the CCID driver libccid refuses that channel "
          + "unless bit 0x0001 of its ifdDriverOptions is set. Edit /etc/libccid_Info.plist (on "
          + "Debian and Ubuntu a link to the driver bundle's Info.plist), change the <string> "
          + "after <key>ifdDriverOptions</key> from 0x0000 to 0x0001 (keep bits already set: "
          + "0x0004 becomes 0x0005), then restart pcscd (sudo systemctl restart pcscd), unplug and "
          + "re-plug the reader, and start dkrig again, because a running JVM cannot reconnect to "
          + "a restarted pcscd. The option lets every local PC/SC client send escape commands to "
          + "every CCID reader on the machine, so set it on bench machines only. ACS's own driver "
          + "(libacsccid1) does not read this file; it takes escape commands on "
          + "SCARD_CTL_CODE(3500) = 0x42000DAC (set "
          + OVERRIDE_ENV
          + "=acs). See hardware.md, \"The escape option\".";

  private EscapeCodes() {}

  /** The operating systems whose PC/SC stacks differ. */
  public enum Platform {
    LINUX,
    MACOS,
    WINDOWS,
    /** Anything else (BSD, ...): treated like Linux, whose pcsc-lite they use. */
    OTHER
  }

  /**
   * The chosen code and why, for {@code doctor} and the run report.
   *
   * @param value the control code to pass to {@link ReaderControl#control}
   * @param reason one line: where the value came from
   */
  public record Choice(int value, String reason) {
    /** {@code 0x42000001}. */
    public String hex() {
      return EscapeCodes.hex(value);
    }
  }

  /** A control code as the PC/SC headers write it: {@code 0x42000001}. */
  public static String hex(int controlCode) {
    return String.format(Locale.ROOT, "0x%08X", controlCode);
  }

  /** {@code SCARD_CTL_CODE(function)} as pcsc-lite and macOS define it. */
  public static int pcscLite(int function) {
    return 0x42000000 + function;
  }

  /** {@code SCARD_CTL_CODE(function)} as Windows defines it. */
  public static int windows(int function) {
    return 0x310000 | (function << 2);
  }

  /** The platform for a value of the {@code os.name} system property. */
  public static Platform platformOf(String osName) {
    String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      return Platform.WINDOWS;
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return Platform.MACOS;
    }
    if (name.startsWith("linux")) {
      return Platform.LINUX;
    }
    return Platform.OTHER;
  }

  /**
   * Chooses the code for an {@code os.name}, unless an override is given.
   *
   * @param override a number or one of {@code libccid}, {@code acs}, {@code windows}; empty or
   *     blank means "choose by platform"
   * @throws IllegalArgumentException for an override that is neither
   */
  public static Choice choose(String osName, Optional<String> override) {
    Optional<String> given = override.map(String::strip).filter(s -> !s.isEmpty());
    if (given.isPresent()) {
      return new Choice(parse(given.get()), "override \"" + given.get() + "\"");
    }
    return switch (platformOf(osName)) {
      case WINDOWS -> new Choice(WINDOWS, "Windows: SCARD_CTL_CODE(3500)");
      case MACOS ->
          new Choice(
              ACS_DRIVER,
              "macOS: SCARD_CTL_CODE(3500) for ACS's driver (not bench-tested; override with "
                  + OVERRIDE_ENV
                  + "=libccid for Apple's bundled CCID driver)");
      case LINUX, OTHER -> new Choice(LIBCCID, "Linux with libccid: SCARD_CTL_CODE(1)");
    };
  }

  /** {@link #choose} with this JVM's {@code os.name} and the {@value #OVERRIDE_ENV} variable. */
  public static Choice fromEnvironment(Map<String, String> environment) {
    return choose(
        System.getProperty("os.name", ""), Optional.ofNullable(environment.get(OVERRIDE_ENV)));
  }

  /**
   * Parses an override: {@code libccid}, {@code acs}, {@code windows}, or a number in hex ({@code
   * 0x...}) or decimal.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static int parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "libccid":
        return LIBCCID;
      case "acs":
        return ACS_DRIVER;
      case "windows":
        return WINDOWS;
      default:
        break;
    }
    try {
      long parsed =
          value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
      if (parsed < 0 || parsed > 0xFFFFFFFFL) {
        throw new NumberFormatException("out of range");
      }
      return (int) parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "escape control code \""
              + text
              + "\" is neither libccid, acs, windows nor a 32-bit number (e.g. 0x42000001)",
          e);
    }
  }
}
