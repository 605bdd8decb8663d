package dev.dkrig.ccc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.spake2.Spake2;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * The table-driven multiplications of {@link P256} (issue 20) give the same points as Bouncy
 * Castle's plain double-and-add, for edge and random scalars, on the contract's constant points and
 * on an ordinary one.
 */
class P256FixedBaseTest {
  private static final BigInteger N = P256.N;

  /** 0, 1, 2 and the top of the range, where comb and window encodings have their edges. */
  private static final List<BigInteger> EDGES =
      List.of(
          BigInteger.ONE,
          BigInteger.TWO,
          BigInteger.valueOf(3),
          BigInteger.ONE.shiftLeft(255),
          BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
          N.subtract(BigInteger.TWO),
          N.subtract(BigInteger.ONE));

  private static final ECPoint ORDINARY = P256.multiplyG(BigInteger.valueOf(0x5EED));

  private static ECPoint plain(ECPoint base, BigInteger k) {
    return ECAlgorithms.referenceMultiply(base, k).normalize();
  }

  private static BigInteger scalar(byte[] bytes) {
    return new BigInteger(1, bytes).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
  }

  private static void assertSame(ECPoint expected, ECPoint actual) {
    assertArrayEquals(expected.getEncoded(false), actual.getEncoded(false));
  }

  @Test
  void multiplyFixedEqualsThePlainMultiplyOnEdgeScalars() {
    for (ECPoint base : List.of(Spake2.M, Spake2.N, P256.G, ORDINARY)) {
      for (BigInteger k : EDGES) {
        assertSame(plain(base, k), P256.multiplyFixed(base, k));
      }
      assertTrue(P256.multiplyFixed(base, BigInteger.ZERO).isInfinity());
    }
  }

  @Test
  void multiplyGPlusEqualsThePlainSumOnEdgeScalars() {
    for (ECPoint base : List.of(Spake2.M, Spake2.N, ORDINARY)) {
      for (BigInteger a : EDGES) {
        for (BigInteger b : EDGES) {
          assertSame(
              plain(P256.G, a).add(plain(base, b)).normalize(), P256.multiplyGPlus(a, base, b));
        }
      }
    }
  }

  @Test
  void multiplyGPlusOfOppositePointsIsInfinity() {
    // a·G + (n − a)·G: the sum is the point at infinity, which the caller's encode then refuses.
    BigInteger a = BigInteger.valueOf(12345);
    assertTrue(P256.multiplyGPlus(a, P256.G, N.subtract(a)).isInfinity());
  }

  @Property(tries = 100)
  void multiplyFixedEqualsThePlainMultiply(@ForAll @Size(32) byte[] k) {
    BigInteger scalar = scalar(k);
    for (ECPoint base : List.of(Spake2.M, Spake2.N, P256.G, ORDINARY)) {
      assertSame(plain(base, scalar), P256.multiplyFixed(base, scalar));
    }
  }

  @Property(tries = 100)
  void multiplyGPlusEqualsThePlainSum(@ForAll @Size(32) byte[] a, @ForAll @Size(32) byte[] b) {
    BigInteger x = scalar(a);
    BigInteger y = scalar(b);
    for (ECPoint base : List.of(Spake2.M, Spake2.N, ORDINARY)) {
      assertSame(plain(P256.G, x).add(plain(base, y)).normalize(), P256.multiplyGPlus(x, base, y));
    }
  }

  @Test
  void constantPointIsTheDecodedPoint() {
    byte[] encoded = ORDINARY.getEncoded(false);
    assertArrayEquals(encoded, P256.encode(P256.constantPoint(encoded)));
  }
}
