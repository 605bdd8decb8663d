package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.iso7816.Bytes;

/**
 * The six 16-byte keys both sides derive from SPAKE2+'s SK (§5.5): the framework session keys, the
 * long-term shared secret and the two BLE keys. {@link #toString()} shows no key material.
 */
public final class SystemKeys {
  private final byte[] okm;

  private SystemKeys(byte[] okm) {
    this.okm = okm;
  }

  /** {@code HKDF(IKM = SK, info = "SystemKeys", L = 96)}, split in order (§5.5). */
  public static SystemKeys derive(byte[] sk) {
    return new SystemKeys(
        Crypto.hkdf(sk, DkProfile.LABEL_SYSTEM_KEYS, DkProfile.SYSTEM_KEYS_LENGTH));
  }

  /** Zeroes the 96 bytes in place (the session is over). */
  public void wipe() {
    java.util.Arrays.fill(okm, (byte) 0);
  }

  public byte[] kenc() {
    return part(0);
  }

  public byte[] kmac() {
    return part(1);
  }

  public byte[] krmac() {
    return part(2);
  }

  public byte[] ltss() {
    return part(3);
  }

  public byte[] kbleIntro() {
    return part(4);
  }

  public byte[] kbleOobMaster() {
    return part(5);
  }

  /** The keys of the framework secure channel (§6). */
  public SessionKeys frameworkKeys() {
    return new SessionKeys(kenc(), kmac(), krmac());
  }

  private byte[] part(int index) {
    return Bytes.range(okm, 16 * index, 16 * (index + 1));
  }

  @Override
  public String toString() {
    return "SystemKeys[<redacted>]";
  }
}
