package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACR122U firmware version, from the answer to {@code FF 00 48 00 00}: ASCII such as {@code
 * ACR122U207} (version 2.07), sent without a status word (notes §2.2).
 *
 * @param text the ASCII text as the reader sent it
 * @param major the digit after {@code ACR122U}
 * @param minor the two digits after it
 */
public record FirmwareVersion(String text, int major, int minor) {

  /** The oldest firmware dkrig drives: 1.x predates direct (no-card) connections. */
  public static final FirmwareVersion MINIMUM = new FirmwareVersion("ACR122U200", 2, 0);

  /** The version the CCID driver's reader description and the bench notes are written for. */
  public static final FirmwareVersion RECOMMENDED = new FirmwareVersion("ACR122U207", 2, 7);

  /** Below this libccid lists the firmware as bogus and needs ifdDriverOptions bit 0x0004. */
  static final FirmwareVersion LIBCCID_BOGUS_BELOW = new FirmwareVersion("ACR122U206", 2, 6);

  private static final Pattern FORMAT = Pattern.compile("ACR122U(\\d)(\\d\\d)");

  /**
   * Reads the reader's answer. A trailing {@code 90 00} is tolerated: the firmware sends none, but
   * a driver or a later firmware might add one.
   *
   * @throws Acr122uException FIRMWARE_UNREADABLE or NOT_AN_ACR122U, with the bytes in hex
   */
  public static FirmwareVersion parse(byte[] answer) {
    byte[] text = answer;
    int n = answer.length;
    if (n > 2 && (answer[n - 2] & 0xFF) == 0x90 && answer[n - 1] == 0x00) {
      text = Arrays.copyOf(answer, n - 2);
    }
    for (byte b : text) {
      if (b < 0x20 || b > 0x7E) {
        throw new Acr122uException(
            Acr122uException.Reason.FIRMWARE_UNREADABLE,
            "firmware version answer is not ASCII text: " + Hex.encode(answer));
      }
    }
    String ascii = new String(text, StandardCharsets.US_ASCII).strip();
    if (!ascii.toUpperCase(Locale.ROOT).startsWith("ACR122")) {
      throw new Acr122uException(
          Acr122uException.Reason.NOT_AN_ACR122U,
          "the reader calls itself \"" + ascii + "\", not ACR122U");
    }
    Matcher matcher = FORMAT.matcher(ascii.toUpperCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new Acr122uException(
          Acr122uException.Reason.FIRMWARE_UNREADABLE,
          "cannot read a version from \"" + ascii + "\" (expected e.g. ACR122U207)");
    }
    return new FirmwareVersion(
        ascii, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
  }

  /** {@code 2.07}. */
  public String version() {
    return String.format(Locale.ROOT, "%d.%02d", major, minor);
  }

  public boolean isAtLeast(FirmwareVersion other) {
    return major > other.major || (major == other.major && minor >= other.minor);
  }

  /**
   * Refuses firmware below 2.00.
   *
   * @return this version, when supported
   * @throws Acr122uException FIRMWARE_TOO_OLD
   */
  public FirmwareVersion requireSupported() {
    if (!isAtLeast(MINIMUM)) {
      throw new Acr122uException(
          Acr122uException.Reason.FIRMWARE_TOO_OLD,
          "ACR122U firmware "
              + version()
              + " is below 2.00: 1.x firmware has no direct (no-card) connection and answers in "
              + "the old T=0 style; use a reader with firmware 2.07 or later");
    }
    return this;
  }

  /** Advice for supported but not recommended versions; empty for 2.07 and later. */
  public Optional<String> advice() {
    if (!isAtLeast(MINIMUM)) {
      return Optional.of("firmware " + version() + " is not supported (below 2.00)");
    }
    if (!isAtLeast(LIBCCID_BOGUS_BELOW)) {
      return Optional.of(
          "firmware "
              + version()
              + " is on libccid's list of bogus firmware: pcscd only shows the reader with "
              + "ifdDriverOptions bit 0x0004 set (0x0005 together with the escape bit); "
              + "2.07 or later is recommended");
    }
    if (!isAtLeast(RECOMMENDED)) {
      return Optional.of("firmware " + version() + " works; 2.07 or later is recommended");
    }
    return Optional.empty();
  }
}
