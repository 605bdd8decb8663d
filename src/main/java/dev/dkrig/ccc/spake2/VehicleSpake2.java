package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
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
  private ECPoint w0m;
  private byte[] vPrepared;
  private Spake2Keys keys;
  private byte[] z;
  private byte[] v;

  private VehicleSpake2(Verifier verifier, BigInteger y, ECPoint share) {
    this.verifier = verifier;
    this.y = y;
    this.share = P256.encode(share);
  }

  /** With a fixed y, for test mode (§18.2) and the known-answer vectors. */
  public static VehicleSpake2 withScalar(Verifier verifier, BigInteger y) {
    return new VehicleSpake2(verifier, y, P256.multiplyGPlus(y, Spake2.N, verifier.w0Scalar()));
  }

  /**
   * With y and {@code yTimesG = y·G} computed before the verifier was known (issue 20); the caller
   * computed the point from the same y with {@link P256#multiplyG}.
   */
  public static VehicleSpake2 withScalar(Verifier verifier, BigInteger y, ECPoint yTimesG) {
    return new VehicleSpake2(
        verifier, y, yTimesG.add(P256.multiplyFixed(Spake2.N, verifier.w0Scalar())));
  }

  /**
   * Computes now what does not depend on the device, {@code w0·M} and {@code V = y·L}, so that
   * {@link #receive} is left with X's validation, one multiplication and the key schedule (issue
   * 20: done on another thread before the REQUEST is answered). Optional; idempotent.
   *
   * @return this
   */
  public VehicleSpake2 prepare() {
    if (w0m == null) {
      w0m = P256.multiplyFixed(Spake2.M, verifier.w0Scalar());
      vPrepared = P256.encode(P256.multiplyFixed(P256.fixedPoint(verifier.l()), y));
    }
    return this;
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
    prepare();
    ECPoint base = xPoint.subtract(w0m);
    z = P256.encode(base.multiply(y));
    v = vPrepared.clone();
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
    return "VehicleSpake2[Y=" + dev.dkrig.iso7816.Hex.encode(share) + "]";
  }
}
