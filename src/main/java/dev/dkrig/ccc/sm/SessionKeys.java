package dev.dkrig.ccc.sm;

import java.util.Arrays;

/** Kenc, Kmac and Krmac of one secure channel (§6). {@link #toString()} shows none of them. */
public record SessionKeys(byte[] kenc, byte[] kmac, byte[] krmac) {

  public SessionKeys {
    kenc = check(kenc, "Kenc");
    kmac = check(kmac, "Kmac");
    krmac = check(krmac, "Krmac");
  }

  @Override
  public byte[] kenc() {
    return kenc.clone();
  }

  @Override
  public byte[] kmac() {
    return kmac.clone();
  }

  @Override
  public byte[] krmac() {
    return krmac.clone();
  }

  /**
   * Zeroes the three keys in place (a session's end). Every copy handed out before stays as it is;
   * the caller wipes what it made.
   */
  public void wipe() {
    Arrays.fill(kenc, (byte) 0);
    Arrays.fill(kmac, (byte) 0);
    Arrays.fill(krmac, (byte) 0);
  }

  private static byte[] check(byte[] key, String name) {
    if (key.length != 16) {
      throw new IllegalArgumentException(name + " must be 16 bytes");
    }
    return key.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SessionKeys that
        && Arrays.equals(kenc, that.kenc)
        && Arrays.equals(kmac, that.kmac)
        && Arrays.equals(krmac, that.krmac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(kenc);
  }

  @Override
  public String toString() {
    return "SessionKeys[<redacted>]";
  }
}
