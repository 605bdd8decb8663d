package dev.dkrig.cli;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code dkrig apdu} sends, in order: APDUs from the command line or from a scriptor-style
 * file (one APDU a line, spaces allowed between hex digits, {@code #} starts a comment, {@code
 * reset} for an NFC reset). Every mistake names its APDU and the character where it is.
 */
final class ApduScript {
  private ApduScript() {}

  /** One thing to do on the reader. */
  sealed interface Item permits Send, Reset {
    /** Where it came from: {@code argument 2}, {@code --select framework}, {@code FILE:LINE}. */
    String source();
  }

  /**
   * An APDU to send.
   *
   * @param command the parsed short APDU; empty for {@code --raw} bytes that are not one
   */
  record Send(String source, byte[] bytes, Optional<CommandApdu> command) implements Item {
    Send {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  /** An NFC reset (§3.2): field off, then poll for the device again. */
  record Reset(String source) implements Item {}

  /** A line or argument that is not an APDU; the message names it and the position. */
  static final class MalformedApdu extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedApdu(String message) {
      super(message);
    }
  }

  /** A well-formed command the rig builds itself ({@code --select}). */
  static Send of(String source, CommandApdu command) {
    return new Send(source, command.bytes(), Optional.of(command));
  }

  /**
   * One APDU in hex. Without {@code raw} it must be a short APDU whose length agrees with its Lc
   * (§3.2); with it, any whole number of bytes goes out as it is.
   *
   * @param column the column of {@code text}'s first character in its line, for positions
   * @throws MalformedApdu naming {@code source} and the first bad character
   */
  static Send parse(String source, String text, int column, boolean raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int high = -1;
    int highAt = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        continue;
      }
      int digit = Character.digit(c, 16);
      if (digit < 0 || c > 0x7F) {
        throw new MalformedApdu(
            source + ": " + printable(c) + " at character " + (column + i) + " is not a hex digit");
      }
      if (high < 0) {
        high = digit;
        highAt = column + i;
      } else {
        bytes.write((high << 4) | digit);
        high = -1;
      }
    }
    if (high >= 0) {
      throw new MalformedApdu(
          source
              + ": odd number of hex digits: the digit at character "
              + highAt
              + " has no partner");
    }
    byte[] apdu = bytes.toByteArray();
    if (apdu.length == 0) {
      throw new MalformedApdu(source + ": no hex digits");
    }
    try {
      return new Send(source, apdu, Optional.of(CommandApdu.parse(apdu)));
    } catch (Iso7816Exception | IllegalArgumentException e) {
      if (raw) {
        return new Send(source, apdu, Optional.empty());
      }
      throw new MalformedApdu(
          source + ": " + e.getMessage() + " (--raw sends the bytes as they are)");
    }
  }

  /**
   * A scriptor-style file: one APDU per line, {@code #} to the end of the line is a comment, blank
   * lines are skipped, {@code reset} (any case) is an NFC reset.
   *
   * @param name the file as the user named it, for positions ({@code FILE:LINE})
   */
  static List<Item> file(String name, List<String> lines, boolean raw) {
    List<Item> items = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      int hash = line.indexOf('#');
      String content = hash >= 0 ? line.substring(0, hash) : line;
      String trimmed = content.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      String source = name + ":" + (n + 1);
      if (trimmed.toLowerCase(Locale.ROOT).equals("reset")) {
        items.add(new Reset(source));
        continue;
      }
      items.add(parse(source, content, 1, raw));
    }
    return items;
  }

  /** A character for an error message: printable ASCII quoted, anything else as its code. */
  private static String printable(char c) {
    return c >= 0x20 && c < 0x7F
        ? "'" + c + "'"
        : String.format(Locale.ROOT, "character U+%04X", (int) c);
  }
}
