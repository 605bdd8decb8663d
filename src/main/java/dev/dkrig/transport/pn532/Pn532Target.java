package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;

/**
 * One ISO 14443 type A target as InListPassiveTarget reports it (notes §2.3 step 3): {@code Tg
 * SENS_RES(2) SEL_RES NFCIDLength NFCID1 [ATS]}. The ATS is present when SEL_RES says ISO 14443-4
 * (bit {@code 20}), because the PN532 sends RATS itself; it starts with its length byte TL, which
 * counts itself (libnfc's decoder relies on this: {@code 05 78 80 70 02} is printed as "ATS: 78 80
 * 70 02").
 *
 * @param tg the target number the PN532 gave it (1)
 * @param sensRes ATQA, two bytes as sent ({@code 00 04})
 * @param selRes SAK
 * @param nfcid1 the UID (4, 7 or 10 bytes); a phone's is random and starts with {@code 08}
 * @param ats the ATS including TL, empty for a target without ISO 14443-4
 */
public record Pn532Target(int tg, int sensRes, int selRes, byte[] nfcid1, byte[] ats) {

  /** SEL_RES bit: the target speaks ISO 14443-4 (ISO-DEP). */
  public static final int ISO_14443_4 = 0x20;

  public Pn532Target {
    nfcid1 = nfcid1.clone();
    ats = ats.clone();
    if (nfcid1.length != 4 && nfcid1.length != 7 && nfcid1.length != 10) {
      throw new IllegalArgumentException("an NFCID1 has 4, 7 or 10 bytes, not " + nfcid1.length);
    }
    if (ats.length > 0 && (ats[0] & 0xFF) != ats.length) {
      throw new IllegalArgumentException(
          "ATS length byte " + Hex.u8(ats[0]) + " does not count the " + ats.length + " ATS bytes");
    }
  }

  /**
   * Parses one target from InListPassiveTarget's answer (the bytes after NbTg).
   *
   * @throws IllegalArgumentException when the bytes do not hold exactly one type A target
   */
  public static Pn532Target parseTypeA(byte[] data) {
    if (data.length < 5) {
      throw new IllegalArgumentException("type A target data too short: " + Hex.encode(data));
    }
    int idLength = data[4] & 0xFF;
    int atsStart = 5 + idLength;
    if (data.length < atsStart) {
      throw new IllegalArgumentException(
          "NFCID1 of " + idLength + " bytes does not fit " + Hex.encode(data));
    }
    byte[] ats = Arrays.copyOfRange(data, atsStart, data.length);
    return new Pn532Target(
        data[0] & 0xFF,
        Bytes.u16(data, 1),
        data[3] & 0xFF,
        Arrays.copyOfRange(data, 5, atsStart),
        ats);
  }

  /** The bytes InListPassiveTarget reports for this target (after NbTg). */
  public byte[] bytes() {
    return Bytes.concat(
        Bytes.of(tg, sensRes >>> 8, sensRes & 0xFF, selRes, nfcid1.length), nfcid1, ats);
  }

  @Override
  public byte[] nfcid1() {
    return nfcid1.clone();
  }

  @Override
  public byte[] ats() {
    return ats.clone();
  }

  public boolean isoDep() {
    return (selRes & ISO_14443_4) != 0;
  }

  /** ISO 14443-3 single-size UIDs starting {@code 08} are random (a phone's, new every tap). */
  public boolean randomUid() {
    return nfcid1.length == 4 && nfcid1[0] == 0x08;
  }

  /**
   * FSC, the largest frame the target accepts, from the ATS's FSCI (T0 low nibble); 32 without an
   * ATS T0 (ISO 14443-4 default FSCI 2).
   */
  public int fsc() {
    int fsci = ats.length >= 2 ? ats[1] & 0x0F : 2;
    int[] sizes = {16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096};
    return fsci < sizes.length ? sizes[fsci] : 256;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Pn532Target that && Arrays.equals(bytes(), that.bytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes());
  }

  /** {@code ISO 14443-4A target 1: ATQA 0004, SAK 20, UID 08D17A3C (random), ATS 0578807002}. */
  @Override
  public String toString() {
    return (isoDep() ? "ISO 14443-4A" : "ISO 14443-3A")
        + " target "
        + tg
        + ": ATQA "
        + Hex.u16(sensRes)
        + ", SAK "
        + Hex.u8(selRes)
        + ", UID "
        + Hex.encode(nfcid1)
        + (randomUid() ? " (random)" : "")
        + (ats.length > 0 ? ", ATS " + Hex.encode(ats) + " (FSC " + fsc() + ")" : "");
  }
}
