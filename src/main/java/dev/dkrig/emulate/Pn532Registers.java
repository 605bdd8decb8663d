package dev.dkrig.emulate;

import dev.dkrig.iso7816.Bytes;
import java.util.HashMap;
import java.util.Map;

/**
 * The register file of an emulated PN532 (ReadRegister, WriteRegister, UM0701 §7.2.4–5): what a
 * host writes it reads back, every other register reads 0. Both emulated boards keep one.
 */
final class Pn532Registers {
  private final Map<Integer, Integer> values = new HashMap<>();

  /**
   * ReadRegister: one byte per 16-bit address.
   *
   * @throws IllegalArgumentException when the arguments are not address pairs
   */
  byte[] read(byte[] args) {
    if (args.length == 0 || args.length % 2 != 0) {
      throw new IllegalArgumentException("ReadRegister takes address pairs");
    }
    byte[] read = new byte[args.length / 2];
    for (int i = 0; i < read.length; i++) {
      read[i] = (byte) (int) values.getOrDefault(Bytes.u16(args, 2 * i), 0);
    }
    return read;
  }

  /**
   * WriteRegister: address-value triples; the answer has no data.
   *
   * @throws IllegalArgumentException when the arguments are not address-value triples
   */
  byte[] write(byte[] args) {
    if (args.length == 0 || args.length % 3 != 0) {
      throw new IllegalArgumentException("WriteRegister takes address-value triples");
    }
    for (int i = 0; i < args.length; i += 3) {
      values.put(Bytes.u16(args, i), args[i + 2] & 0xFF);
    }
    return new byte[0];
  }
}
