package dev.dkrig.iso7816;

import java.util.Arrays;

/**
 * A short ISO/IEC 7816-4 command APDU (§3.2): case 1 (header), case 2 (header ‖ Le), case 3 (header
 * ‖ Lc ‖ data) or case 4 (header ‖ Lc ‖ data ‖ Le). Extended-length APDUs are not representable.
 *
 * @param le the Le byte as sent ({@code 0x00} means 256), or -1 when absent
 */
public record CommandApdu(int cla, int ins, int p1, int p2, byte[] data, int le) {

  public static final int NO_LE = -1;

  public CommandApdu {
    checkByte(cla, "CLA");
    checkByte(ins, "INS");
    checkByte(p1, "P1");
    checkByte(p2, "P2");
    data = data.clone();
    if (data.length > 255) {
      throw new IllegalArgumentException("command data longer than 255 bytes: " + data.length);
    }
    if (le != NO_LE) {
      checkByte(le, "Le");
    }
  }

  /** Case 1: header only. */
  public static CommandApdu of(int cla, int ins, int p1, int p2) {
    return new CommandApdu(cla, ins, p1, p2, new byte[0], NO_LE);
  }

  /** Case 4 with Le = 00, the contract's form for every command with data (§3.2). */
  public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data) {
    return new CommandApdu(cla, ins, p1, p2, data, data.length == 0 ? NO_LE : 0x00);
  }

  /**
   * Parses the bytes of a short command APDU.
   *
   * @throws Iso7816Exception for a truncated, inconsistent or extended-length APDU
   */
  public static CommandApdu parse(byte[] bytes) {
    if (bytes.length < 4) {
      throw new Iso7816Exception("command APDU shorter than 4 bytes (" + bytes.length + ")");
    }
    int cla = bytes[0] & 0xFF;
    int ins = bytes[1] & 0xFF;
    int p1 = bytes[2] & 0xFF;
    int p2 = bytes[3] & 0xFF;
    if (bytes.length == 4) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], NO_LE);
    }
    if (bytes.length == 5) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], bytes[4] & 0xFF);
    }
    int lc = bytes[4] & 0xFF;
    if (lc == 0) {
      throw new Iso7816Exception("extended-length command APDU (Lc = 00 ...) is not supported");
    }
    if (bytes.length == 5 + lc) {
      return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(bytes, 5, 5 + lc), NO_LE);
    }
    if (bytes.length == 6 + lc) {
      return new CommandApdu(
          cla, ins, p1, p2, Arrays.copyOfRange(bytes, 5, 5 + lc), bytes[5 + lc] & 0xFF);
    }
    throw new Iso7816Exception(
        "command APDU length " + bytes.length + " inconsistent with Lc = " + Hex.u8(lc));
  }

  public static CommandApdu parse(String hex) {
    return parse(Hex.decode(hex));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public boolean hasLe() {
    return le != NO_LE;
  }

  public byte[] header() {
    return Bytes.of(cla, ins, p1, p2);
  }

  public byte[] bytes() {
    Bytes.Builder out = new Bytes.Builder().add(cla, ins, p1, p2);
    if (data.length > 0) {
      out.add(data.length).add(data);
    }
    if (le != NO_LE) {
      out.add(le);
    }
    return out.build();
  }

  public int p1p2() {
    return (p1 << 8) | p2;
  }

  /** The trace form: {@code 80300000 31 5B02... 00}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(Hex.encode(header()));
    if (data.length > 0) {
      out.append(' ').append(Hex.u8(data.length)).append(' ').append(Hex.encode(data));
    }
    if (le != NO_LE) {
      out.append(' ').append(Hex.u8(le));
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CommandApdu that && Arrays.equals(bytes(), that.bytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes());
  }

  private static void checkByte(int value, String name) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException(name + " out of range: " + value);
    }
  }
}
