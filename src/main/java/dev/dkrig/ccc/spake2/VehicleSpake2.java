package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.Bytes;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The vehicle's side of SPAKE2+, the verifier (§5.2–5.4). One instance serves one REQUEST/VERIFY
 * exchange: {@link #share()} is Y for the VERIFY command, {@link #receive} takes the device's X and
 * yields M1, {@link #confirm} checks M2 and yields the SystemKeys.
 */
public final class VehicleSpake2 {
  private final Verifier verifier;
  private final BigInteger y;
  private final byte[] share;
  private Spake2Keys keys;
  private byte[] z;
  private byte[] v;

  private VehicleSpake2(Verifier verifier, BigInteger y) {
    this.verifier = verifier;
    this.y = y;
    ECPoint yPoint = P256.multiplyG(y).add(Spake2.N.multiply(verifier.w0Scalar())).normalize();
    this.share = P256.encode(yPoint);
  }

  /** With a fixed y, for test mode (§18.2) and the known-answer vectors. */
  public static VehicleSpake2 withScalar(Verifier verifier, BigInteger y) {
    return new VehicleSpake2(verifier, y);
  }

  /** {@code Y = y·G + w0·N}, sent in VERIFY tag 52. */
  public byte[] share() {
    return share.clone();
  }

  /**
   * Validates X (§5.3), computes {@code Z = y·(X − w0·M)}, {@code V = y·L} and the key schedule.
   *
   * @param x the device share from the REQUEST response tag 50
   * @param aad the REQUEST's 5B TLV ‖ 5C TLV (§5.4)
   * @return M1, the vehicle evidence for VERIFY tag 57
   * @throws CccException INVALID_POINT when X fails §5.3 (the caller aborts {@code 0C})
   */
  public byte[] receive(byte[] x, byte[] aad) {
    ECPoint xPoint = P256.decodePeerShare(x, share);
    ECPoint base = xPoint.subtract(Spake2.M.multiply(verifier.w0Scalar()));
    z = P256.encode(base.multiply(y));
    v = P256.encode(P256.CURVE.decodePoint(verifier.l()).multiply(y));
    keys = Spake2.keySchedule(Spake2.transcript(x, share, z, v, verifier.w0()), aad, x, share);
    return keys.m1();
  }

  /**
   * Checks the device evidence M2 (§5.4).
   *
   * @throws CccException EVIDENCE when M2 is wrong (the caller aborts {@code 09})
   */
  public SystemKeys confirm(byte[] m2) {
    if (keys == null) {
      throw new IllegalStateException("confirm before receive");
    }
    if (!Bytes.equalsConstantTime(m2, keys.m2())) {
      throw new CccException(CccException.Failure.EVIDENCE, "device evidence M2 does not match");
    }
    return keys.systemKeys();
  }

  /** The key-schedule intermediates, after {@link #receive}; secrets, for tests and traces. */
  public Spake2Keys keys() {
    return keys;
  }

  public byte[] z() {
    return z.clone();
  }

  public byte[] v() {
    return v.clone();
  }

  @Override
  public String toString() {
    return "VehicleSpake2[Y=" + dev.dkrig.ccc.Hex.encode(share) + "]";
  }
}
