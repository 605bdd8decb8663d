package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/** Encodings that break one rule of §5.3 each, derived from a valid T1 point. */
public final class InvalidPoints {
  private InvalidPoints() {}

  /**
   * One invalid encoding: {@code offCurve}, {@code prefix03}, {@code prefix00}, {@code xNotBelowP}
   * (x + p of a real point, valid once reduced), {@code yEqualsP}, {@code short} (64 bytes), {@code
   * long} (66 bytes).
   */
  public static byte[] of(String kind) {
    byte[] valid = T1Vectors.hex("key.veh_eph_p3.PK");
    return switch (kind) {
      case "offCurve" -> {
        byte[] point = valid.clone();
        point[64] ^= 0x01;
        yield point;
      }
      case "prefix03" -> withPrefix(valid, 0x03);
      case "prefix00" -> withPrefix(valid, 0x00);
      case "xNotBelowP" -> pointWithXAboveP();
      case "yEqualsP" -> Bytes.concat(Arrays.copyOf(valid, 33), Bytes.unsigned(P256.P, 32));
      case "short" -> Arrays.copyOf(valid, 64);
      case "long" -> Arrays.copyOf(valid, 66);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static byte[] withPrefix(byte[] valid, int prefix) {
    byte[] point = valid.clone();
    point[0] = (byte) prefix;
    return point;
  }

  /** The first curve point with a small x, written with x + p (which still fits 32 bytes). */
  private static byte[] pointWithXAboveP() {
    for (int x = 1; ; x++) {
      byte[] compressed = Bytes.concat(Bytes.of(0x02), Bytes.unsigned(BigInteger.valueOf(x), 32));
      ECPoint point;
      try {
        point = P256.CURVE.decodePoint(compressed).normalize();
      } catch (IllegalArgumentException notOnCurve) {
        continue;
      }
      BigInteger y = point.getAffineYCoord().toBigInteger();
      return Bytes.concat(
          Bytes.of(0x04),
          Bytes.unsigned(BigInteger.valueOf(x).add(P256.P), 32),
          Bytes.unsigned(y, 32));
    }
  }
}
