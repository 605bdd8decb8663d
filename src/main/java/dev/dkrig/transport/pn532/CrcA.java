package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;

/**
 * ISO/IEC 14443-3 CRC_A: the 16-bit CRC of a type A frame, x^16 + x^12 + x^5 + 1 processed
 * least-significant bit first (the reflected form, 0x8408), initial value 0x6363, no final XOR,
 * sent low byte first (notes §2.4). Needed because an Apple ECP frame goes out through
 * InCommunicateThru with the PN532's own CRC generation off, so the host appends the CRC.
 */
public final class CrcA {
  private CrcA() {}

  /** The CRC_A value of {@code data}, as an unsigned 16-bit number. */
  public static int of(byte[] data) {
    int crc = 0x6363;
    for (byte b : data) {
      crc ^= b & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
      }
    }
    return crc;
  }

  /** {@code data ‖ CRC_A low byte ‖ CRC_A high byte}. */
  public static byte[] append(byte[] data) {
    int crc = of(data);
    return Bytes.concat(data, Bytes.of(crc & 0xFF, crc >>> 8));
  }
}
