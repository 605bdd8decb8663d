package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The device's side of SPAKE2+, the prover (§5.2–5.4): X for the REQUEST response, then the check
 * of M1 and the answer M2 for VERIFY.
 */
public final class DeviceSpake2 {
  private final ProverSecrets secrets;
  private final BigInteger x;
  private final byte[] share;
  private Spake2Keys keys;

  private DeviceSpake2(ProverSecrets secrets, BigInteger x) {
    this.secrets = secrets;
    this.x = x;
    this.share = P256.encode(P256.multiplyGPlus(x, Spake2.M, secrets.w0()));
  }

  public static DeviceSpake2 withScalar(ProverSecrets secrets, BigInteger x) {
    return new DeviceSpake2(secrets, x);
  }

  /** {@code X = x·G + w0·M}, the REQUEST response tag 50. */
  public byte[] share() {
    return share.clone();
  }

  /**
   * Validates Y, derives the keys, checks M1 and returns M2 (§5.3, §5.4).
   *
   * @throws CccException INVALID_POINT for a bad Y, EVIDENCE for a wrong M1 (both answered {@code
   *     6A88} by the device)
   */
  public byte[] respond(byte[] y, byte[] m1, byte[] aad) {
    ECPoint yPoint = P256.decodePeerShare(y, share);
    ECPoint base = yPoint.subtract(P256.multiplyFixed(Spake2.N, secrets.w0()));
    byte[] z = P256.encode(base.multiply(x));
    byte[] v = P256.encode(base.multiply(secrets.w1()));
    byte[] w0 = P256.encodeScalar(secrets.w0());
    Spake2Keys computed = Spake2.keySchedule(Spake2.transcript(share, y, z, v, w0), aad, share, y);
    if (!Bytes.equalsConstantTime(m1, computed.m1())) {
      throw new CccException(CccException.Failure.EVIDENCE, "vehicle evidence M1 does not match");
    }
    keys = computed;
    return computed.m2();
  }

  public SystemKeys systemKeys() {
    if (keys == null) {
      throw new IllegalStateException("no SPAKE2+ keys yet");
    }
    return keys.systemKeys();
  }

  public Spake2Keys keys() {
    return keys;
  }

  @Override
  public String toString() {
    return "DeviceSpake2[X=" + dev.dkrig.iso7816.Hex.encode(share) + "]";
  }
}
