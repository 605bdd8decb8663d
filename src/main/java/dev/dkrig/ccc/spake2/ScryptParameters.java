package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Hex;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The scrypt parameters carried in the SPAKE2+ REQUEST's 7F50 (§3.3, §5.1): a 16-byte salt, N (a
 * power of two, 32 bits on the wire), r and p (16 bits each).
 */
public record ScryptParameters(byte[] salt, long n, int r, int p) {

  public ScryptParameters {
    salt = salt.clone();
  }

  /** The production defaults with a fresh random salt (§5.1). */
  public static ScryptParameters defaults(SecureRandom random) {
    byte[] salt = new byte[DkProfile.SALT_LENGTH];
    random.nextBytes(salt);
    return new ScryptParameters(
        salt, DkProfile.SCRYPT_DEFAULT_N, DkProfile.SCRYPT_DEFAULT_R, DkProfile.SCRYPT_DEFAULT_P);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  /**
   * §5.1: salt 16 bytes, N a power of two ≥ 2 and < 2^32, r and p in 1..65535.
   *
   * @throws CccException MALFORMED naming the field
   */
  public ScryptParameters validate() {
    if (salt.length != DkProfile.SALT_LENGTH) {
      throw CccException.malformed("scrypt salt is " + salt.length + " bytes, expected 16");
    }
    if (n < 2 || n >= (1L << 32) || Long.bitCount(n) != 1) {
      throw CccException.malformed("scrypt N = " + n + " is not a power of two in [2, 2^32)");
    }
    if (r < 1 || r > 0xFFFF) {
      throw CccException.malformed("scrypt r = " + r + " not in 1..65535");
    }
    if (p < 1 || p > 0xFFFF) {
      throw CccException.malformed("scrypt p = " + p + " not in 1..65535");
    }
    return this;
  }

  /** scrypt memory {@code 128·r·N·(p+2)} bytes, the measure of the §18.11 device limit. */
  public double memoryBytes() {
    return 128.0 * r * n * (p + 2);
  }

  /**
   * Whether deriving a verifier with these parameters stays within the §18.11 device limit (a
   * device refuses more with 6A88, so such a verifier could never pair): why not, naming the limit,
   * or empty. Checked before scrypt allocates anything.
   */
  public java.util.Optional<String> costProblem() {
    if (n < 2 || n >= (1L << 32) || Long.bitCount(n) != 1) {
      return java.util.Optional.of("scrypt N = " + n + " is not a power of two in [2, 2^32)");
    }
    if (memoryBytes() > DkProfile.SCRYPT_MAX_MEMORY) {
      return java.util.Optional.of(
          String.format(
              java.util.Locale.ROOT,
              "scrypt N = %d, r = %d, p = %d needs 128·r·N·(p+2) = %.0f MiB, over the 512 MiB limit"
                  + " of contract §18.11",
              n,
              r,
              p,
              memoryBytes() / (1024.0 * 1024.0)));
    }
    return java.util.Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScryptParameters that
        && Arrays.equals(salt, that.salt)
        && n == that.n
        && r == that.r
        && p == that.p;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt) * 31 + Long.hashCode(n) * 17 + r * 7 + p;
  }

  @Override
  public String toString() {
    return "scrypt[salt=" + Hex.encode(salt) + ", N=" + n + ", r=" + r + ", p=" + p + "]";
  }
}
