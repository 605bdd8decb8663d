package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * GetFirmwareVersion's answer, {@code D5 03 <IC> <Ver> <Rev> <Support>} (notes §3: a PN532 v1.6
 * answers {@code 32 01 06 07}).
 *
 * @param ic {@code 32} for a PN532
 * @param version the firmware version
 * @param revision the firmware revision
 * @param support bit 0 ISO 14443-A, bit 1 ISO 14443-B, bit 2 ISO 18092
 */
public record Pn532Firmware(int ic, int version, int revision, int support) {

  /** The PN532's IC byte. */
  public static final int PN532 = 0x32;

  /**
   * Parses the four data bytes after the response code.
   *
   * @throws IllegalArgumentException when there are not four
   */
  public static Pn532Firmware parse(byte[] data) {
    if (data.length != 4) {
      throw new IllegalArgumentException(
          "GetFirmwareVersion answers 4 bytes (IC Ver Rev Support), not " + Hex.encode(data));
    }
    return new Pn532Firmware(data[0] & 0xFF, data[1] & 0xFF, data[2] & 0xFF, data[3] & 0xFF);
  }

  public boolean supportsTypeA() {
    return (support & 0x01) != 0;
  }

  /** {@code PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092)}. */
  @Override
  public String toString() {
    List<String> modes = new ArrayList<>();
    if ((support & 0x01) != 0) {
      modes.add("ISO 14443-A");
    }
    if ((support & 0x02) != 0) {
      modes.add("ISO 14443-B");
    }
    if ((support & 0x04) != 0) {
      modes.add("ISO 18092");
    }
    String chip = ic == PN532 ? "PN532" : "PN53x (IC " + Hex.u8(ic) + ")";
    return chip + " v" + version + "." + revision + " (" + String.join(", ", modes) + ")";
  }
}
