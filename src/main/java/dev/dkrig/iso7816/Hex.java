package dev.dkrig.iso7816;

import java.util.HexFormat;

/** Upper-case hex, the contract's notation (§0). Parsing tolerates spaces and lower case. */
public final class Hex {
  private static final HexFormat UPPER = HexFormat.of().withUpperCase();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return UPPER.formatHex(bytes);
  }

  public static String encode(byte[] bytes, int from, int to) {
    return UPPER.formatHex(bytes, from, to);
  }

  /**
   * Decodes hex digits, ignoring whitespace; throws {@link IllegalArgumentException} on bad input.
   */
  public static byte[] decode(String hex) {
    // Whitespace is no hex digit, so text that parses as it is needs no stripping: a state folder
    // decodes a few kilobytes of hex per DK record before the first APDU (issue 20), where a
    // regex compiled and run over each value shows.
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      // spaces, an odd count or no hex: judged below, with the message it always had
    }
    String compact = hex.replaceAll("\\s+", "");
    if (compact.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits (" + compact.length() + ")");
    }
    try {
      return HexFormat.of().parseHex(compact);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: " + e.getMessage(), e);
    }
  }

  public static String u8(int value) {
    return UPPER.toHexDigits((byte) value);
  }

  public static String u16(int value) {
    return UPPER.toHexDigits((short) value);
  }
}
