package dev.dkrig.emulate;

/**
 * The ATR a PC/SC reader reports for a contactless ISO 14443-4 card (PC/SC Part 3, supplement for
 * contactless ICCs): {@code 3B 8n 80 01 <historical bytes> TCK}. A phone running Android HCE shows
 * no historical bytes on an ACR122U, hence {@link #hcePhone()}: {@code 3B 80 80 01 01}.
 */
public final class ContactlessAtr {
  private static final int MAX_HISTORICAL_BYTES = 15;

  private ContactlessAtr() {}

  /** {@code 3B 80 80 01 01}: an Android HCE phone as an ACR122U reports it. */
  public static byte[] hcePhone() {
    return iso14443Part4(new byte[0]);
  }

  /**
   * The ATR with these historical bytes (the ATS historical bytes for Type A, the higher-layer
   * response for Type B), at most 15 of them.
   */
  public static byte[] iso14443Part4(byte[] historicalBytes) {
    if (historicalBytes.length > MAX_HISTORICAL_BYTES) {
      throw new IllegalArgumentException(
          "an ATR carries at most 15 historical bytes, not " + historicalBytes.length);
    }
    byte[] atr = new byte[5 + historicalBytes.length];
    atr[0] = 0x3B; // TS: direct convention
    atr[1] = (byte) (0x80 | historicalBytes.length); // T0: TD1 follows, K historical bytes
    atr[2] = (byte) 0x80; // TD1: TD2 follows, T=0
    atr[3] = 0x01; // TD2: T=1, nothing follows
    System.arraycopy(historicalBytes, 0, atr, 4, historicalBytes.length);
    // TCK makes the XOR of T0 .. TCK zero; it is present because T=1 is indicated (ISO 7816-3).
    byte check = 0;
    for (int i = 1; i < atr.length - 1; i++) {
      check ^= atr[i];
    }
    atr[atr.length - 1] = check;
    return atr;
  }
}
