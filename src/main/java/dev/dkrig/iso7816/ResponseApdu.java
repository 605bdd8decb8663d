package dev.dkrig.iso7816;

import java.util.Arrays;

/** A response APDU: data ‖ SW1 SW2. */
public record ResponseApdu(byte[] data, int sw) {

  /** {@code 9000}, normal processing (ISO/IEC 7816-4). */
  private static final int NORMAL_PROCESSING = 0x9000;

  public ResponseApdu {
    data = data.clone();
    if (sw < 0 || sw > 0xFFFF) {
      throw new IllegalArgumentException("status word out of range: " + sw);
    }
  }

  public static ResponseApdu of(byte[] data, int sw) {
    return new ResponseApdu(data, sw);
  }

  public static ResponseApdu of(int sw) {
    return new ResponseApdu(new byte[0], sw);
  }

  /**
   * Parses response bytes.
   *
   * @throws Iso7816Exception when fewer than two bytes arrived
   */
  public static ResponseApdu parse(byte[] bytes) {
    if (bytes.length < 2) {
      throw new Iso7816Exception("response of " + bytes.length + " byte(s) has no status word");
    }
    return new ResponseApdu(
        Arrays.copyOf(bytes, bytes.length - 2), Bytes.u16(bytes, bytes.length - 2));
  }

  public static ResponseApdu parse(String hex) {
    return parse(Hex.decode(hex));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public int sw1() {
    return sw >>> 8;
  }

  public int sw2() {
    return sw & 0xFF;
  }

  public boolean isSuccess() {
    return sw == NORMAL_PROCESSING;
  }

  public boolean isMoreData() {
    return sw1() == 0x61;
  }

  public byte[] bytes() {
    return Bytes.concat(data, Bytes.u16(sw));
  }

  /** The trace form: {@code 5A04... 9000}. */
  @Override
  public String toString() {
    return data.length == 0 ? Hex.u16(sw) : Hex.encode(data) + " " + Hex.u16(sw);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResponseApdu that && sw == that.sw && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * sw + Arrays.hashCode(data);
  }
}
