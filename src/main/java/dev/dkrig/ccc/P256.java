package dev.dkrig.ccc;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.ec.WNafUtil;

/** The P-256 group and the point rules of §5.3. */
public final class P256 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");

  public static final ECCurve CURVE = PARAMS.getCurve();
  public static final ECPoint G = PARAMS.getG();

  /** The group order n. */
  public static final BigInteger N = PARAMS.getN();

  /** The field prime p. */
  public static final BigInteger P = CURVE.getField().getCharacteristic();

  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE, G, N, PARAMS.getH(), PARAMS.getSeed());

  public static final int POINT_LENGTH = 65;
  public static final int SCALAR_LENGTH = 32;

  private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private P256() {}

  /**
   * Decodes and validates an uncompressed point (§5.3): 65 bytes, first byte {@code 04}, both
   * coordinates below p, on the curve. The point at infinity has no such encoding.
   *
   * @throws CccException INVALID_POINT with the rule that failed
   */
  public static ECPoint decodePoint(byte[] encoded) {
    if (encoded.length != POINT_LENGTH) {
      throw invalid("length " + encoded.length + ", expected 65");
    }
    if (encoded[0] != 0x04) {
      throw invalid("first byte " + Hex.u8(encoded[0] & 0xFF) + ", expected 04");
    }
    BigInteger x = new BigInteger(1, Bytes.range(encoded, 1, 33));
    BigInteger y = new BigInteger(1, Bytes.range(encoded, 33, 65));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      throw invalid("coordinate not below the field prime");
    }
    ECPoint point = CURVE.createPoint(x, y);
    if (!point.isValid()) {
      throw invalid("not on the curve");
    }
    return point;
  }

  /** Decodes and validates, and also rejects the receiver's own share (§5.3). */
  public static ECPoint decodePeerShare(byte[] encoded, byte[] ownShare) {
    ECPoint point = decodePoint(encoded);
    if (Bytes.equalsConstantTime(encoded, ownShare)) {
      throw invalid("equals the receiver's own share");
    }
    return point;
  }

  public static byte[] encode(ECPoint point) {
    if (point.isInfinity()) {
      throw new CccException(CccException.Failure.INVALID_POINT, "point at infinity");
    }
    return point.normalize().getEncoded(false);
  }

  /** The 32-byte X coordinate {@code P.x}. */
  public static byte[] x(ECPoint point) {
    return Bytes.unsigned(point.normalize().getAffineXCoord().toBigInteger(), SCALAR_LENGTH);
  }

  public static byte[] x(byte[] encodedPoint) {
    return Bytes.range(encodedPoint, 1, 33);
  }

  public static ECPoint multiplyG(BigInteger scalar) {
    return BASE_MULTIPLIER.multiply(G, scalar).normalize();
  }

  /**
   * {@code scalar · base} through a fixed-base comb table kept on {@code base} (built on first use,
   * then reused): for the points a run multiplies again and again, SPAKE2+'s M and N (§5.1) and a
   * verifier's L, where Bouncy Castle's own precomputation serves only G. Costs one ordinary
   * multiplication the first time, a third of one afterwards.
   */
  public static ECPoint multiplyFixed(ECPoint base, BigInteger scalar) {
    return BASE_MULTIPLIER.multiply(base, scalar).normalize();
  }

  /** Builds the comb table of {@link #multiplyFixed} for {@code base} now (precomputation). */
  public static void prepareFixed(ECPoint base) {
    FixedPointUtil.precompute(base);
  }

  /**
   * Decodes one of the contract's constant points (SPAKE2+'s M and N, §5.1) and marks it, like G,
   * as a base point Bouncy Castle keeps tables for, so that {@link #multiplyGPlus} can take the
   * joint comb of G and this point. For constants only: the tables stay for the JVM's life.
   */
  public static ECPoint constantPoint(byte[] encoded) {
    ECPoint point = decodePoint(encoded);
    WNafUtil.configureBasepoint(point);
    return point;
  }

  /**
   * {@code a·G + b·base}, normalized, for a {@link #constantPoint} base: SPAKE2+'s shares X and Y
   * (§5.2). Bouncy Castle's Shamir's trick over the comb tables of both points (one pass, one set
   * of doublings, constant-time table lookups) instead of two comb multiplications, two inversions
   * and an addition.
   *
   * @param a a scalar in [1, n−1]
   * @param b a scalar in [1, n−1]
   */
  public static ECPoint multiplyGPlus(BigInteger a, ECPoint base, BigInteger b) {
    return ECAlgorithms.sumOfTwoMultiplies(G, a, base, b).normalize();
  }

  private static final int FIXED_POINTS_KEPT = 8;

  private static final java.util.Map<String, ECPoint> FIXED_POINTS =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(FIXED_POINTS_KEPT, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, ECPoint> eldest) {
              return size() > FIXED_POINTS_KEPT;
            }
          });

  /**
   * {@link #decodePoint}, answered with the same {@link ECPoint} for the same bytes while the point
   * is among the last few asked for, so a {@link #multiplyFixed} table built for it is found again.
   * For long-lived points only (a verifier's L), never for peer shares.
   */
  public static ECPoint fixedPoint(byte[] encoded) {
    String key = Hex.encode(encoded);
    ECPoint known = FIXED_POINTS.get(key);
    if (known != null) {
      return known;
    }
    ECPoint decoded = decodePoint(encoded);
    FIXED_POINTS.put(key, decoded);
    return decoded;
  }

  /** A scalar uniform in [1, n−1] (§5.2, §8.1, §11.2). */
  public static BigInteger randomScalar(SecureRandom random) {
    BigInteger k;
    do {
      k = new BigInteger(N.bitLength(), random);
    } while (k.signum() == 0 || k.compareTo(N) >= 0);
    return k;
  }

  public static BigInteger scalar(byte[] bytes) {
    BigInteger k = new BigInteger(1, bytes);
    if (k.signum() == 0 || k.compareTo(N) >= 0) {
      throw new IllegalArgumentException("scalar not in [1, n-1]");
    }
    return k;
  }

  public static byte[] encodeScalar(BigInteger scalar) {
    return Bytes.unsigned(scalar, SCALAR_LENGTH);
  }

  /** The X coordinate of the ECDH product {@code privateKey · peer} (§11.3, §12.3). */
  public static byte[] ecdhX(BigInteger privateKey, ECPoint peer) {
    ECPoint shared = peer.multiply(privateKey).normalize();
    if (shared.isInfinity()) {
      throw new CccException(
          CccException.Failure.INVALID_POINT, "ECDH result is the point at infinity");
    }
    return x(shared);
  }

  private static CccException invalid(String why) {
    return new CccException(CccException.Failure.INVALID_POINT, "invalid P-256 point: " + why);
  }
}
