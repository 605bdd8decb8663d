package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SPAKE2+ verifier a vehicle stores (§1, §5.1): {@code w0}, {@code L} and the scrypt parameters
 * the device needs to recompute w0 and w1 from the password. The vehicle never runs scrypt; the
 * Vehicle OEM server (or the rig playing it, §18.20) does, with {@link #provision}.
 */
public record Verifier(byte[] w0, byte[] l, ScryptParameters scrypt) {

  public Verifier {
    w0 = w0.clone();
    l = l.clone();
  }

  /**
   * Plays the Vehicle OEM server: derives w0 and L from the password (§5.1).
   *
   * @throws IllegalArgumentException when the password is not 8 ASCII digits or the parameters are
   *     out of range or over the §18.11 cost limit (refused before scrypt allocates its memory)
   */
  public static Verifier provision(String password, ScryptParameters scrypt) {
    scrypt
        .costProblem()
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    ProverSecrets secrets = ProverSecrets.derive(password, scrypt);
    return new Verifier(
        P256.encodeScalar(secrets.w0()), P256.encode(P256.multiplyG(secrets.w1())), scrypt);
  }

  /**
   * The P1.4 validity check (§5.1): {@code 1 ≤ w0 < n}, L a valid point, salt 16 bytes, N a power
   * of two ≥ 2 and < 2^32, r and p in 1..65535.
   *
   * @throws CccException naming the first invalid field
   */
  public Verifier validate() {
    if (w0.length != P256.SCALAR_LENGTH) {
      throw CccException.malformed("verifier w0 is " + w0.length + " bytes, expected 32");
    }
    BigInteger w0Value = new BigInteger(1, w0);
    if (w0Value.signum() == 0 || w0Value.compareTo(P256.N) >= 0) {
      throw CccException.malformed("verifier w0 not in [1, n-1]");
    }
    try {
      P256.decodePoint(l);
    } catch (CccException e) {
      throw new CccException(e.failure(), "verifier L: " + e.getMessage(), e);
    }
    scrypt.validate();
    return this;
  }

  /** A fingerprint that reveals nothing of w0: SHA-256 over w0 ‖ L, first 8 bytes, in hex. */
  public String fingerprint() {
    return Hex.encode(dev.dkrig.ccc.Crypto.sha256(w0, l)).substring(0, 16);
  }

  @Override
  public byte[] w0() {
    return w0.clone();
  }

  @Override
  public byte[] l() {
    return l.clone();
  }

  public BigInteger w0Scalar() {
    return new BigInteger(1, w0);
  }

  /** Checks the password rule of §1: 8 ASCII digits. */
  static byte[] passwordBytes(String password) {
    if (password == null || !password.matches("[0-9]{8}")) {
      throw new IllegalArgumentException("the pairing password must be 8 digits 0-9");
    }
    return password.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Verifier that
        && Arrays.equals(w0, that.w0)
        && Arrays.equals(l, that.l)
        && scrypt.equals(that.scrypt);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(Bytes.concat(w0, l)) * 31 + scrypt.hashCode();
  }

  /** w0 is a secret (engineering rules): only L and the parameters are shown. */
  @Override
  public String toString() {
    return "Verifier[w0=<redacted>, L=" + Hex.encode(l) + ", " + scrypt + "]";
  }
}
