package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import java.math.BigInteger;

/**
 * The device's SPAKE2+ secrets w0 and w1, derived from the password with scrypt and the CCC
 * reduction {@code (int(ws) mod (n−1)) + 1} over 40-byte halves (§5.1; not RFC 9383's mod n).
 */
public record ProverSecrets(BigInteger w0, BigInteger w1) {

  public static ProverSecrets derive(String password, ScryptParameters scrypt) {
    byte[] passwordBytes = Verifier.passwordBytes(password);
    scrypt.validate();
    if (scrypt.n() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "scrypt N too large for this implementation: " + scrypt.n());
    }
    byte[] z =
        Crypto.scrypt(
            passwordBytes,
            scrypt.salt(),
            (int) scrypt.n(),
            scrypt.r(),
            scrypt.p(),
            DkProfile.SCRYPT_DK_LEN);
    return fromScryptOutput(z);
  }

  /** Splits the 80-byte scrypt output into w0s ‖ w1s and reduces both (§5.1). */
  public static ProverSecrets fromScryptOutput(byte[] z) {
    if (z.length != DkProfile.SCRYPT_DK_LEN) {
      throw new IllegalArgumentException("scrypt output must be 80 bytes");
    }
    return new ProverSecrets(reduce(Bytes.range(z, 0, 40)), reduce(Bytes.range(z, 40, 80)));
  }

  static BigInteger reduce(byte[] half) {
    return new BigInteger(1, half).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return "ProverSecrets[<redacted>]";
  }
}
