package dev.dkrig.io;

/**
 * Text from the device or the command line (certificate names, receipt identifiers, {@code --dut})
 * is untrusted: a control character could clear an operator's terminal, forge a line of a trace or
 * make a JUnit file unreadable. Every control character (C0, DEL, C1, ESC included) is shown as an
 * escape ({@code \x1b}, {@code \x85}) and every other character XML cannot hold as {@code
 * <U+FFFE>}. A backslash stays as it is; the escapes are for reading, not for decoding.
 */
public final class SafeText {
  private SafeText() {}

  /** One line: line breaks and tabs are escaped too. */
  public static String line(String text) {
    return neutralise(text, false);
  }

  /**
   * A whole document (XML): line breaks and tabs stay, everything else that is a control or not an
   * XML 1.0 character is escaped, so the document is always well-formed.
   */
  public static String document(String text) {
    return neutralise(text, true);
  }

  private static String neutralise(String text, boolean keepLayout) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int width = Character.charCount(c);
      String escape = escape(c, keepLayout, text, i);
      if (escape != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.appendCodePoint(c);
        }
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }

  private static String escape(int c, boolean keepLayout, String text, int at) {
    if (keepLayout && (c == '\n' || c == '\r' || c == '\t')) {
      return null;
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return String.format(java.util.Locale.ROOT, "\\x%02x", c);
    }
    boolean loneSurrogate = Character.isSurrogate(text.charAt(at)) && Character.charCount(c) == 1;
    if (loneSurrogate || c == 0xFFFE || c == 0xFFFF) {
      return String.format(java.util.Locale.ROOT, "[U+%04X]", c);
    }
    return null;
  }
}
