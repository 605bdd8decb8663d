package dev.dkrig.ccc;

import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A P-256 key pair. {@link #toString()} never shows the private scalar: key pairs end up in records
 * that reach logs, and secrets must not (engineering rules).
 */
public final class EcKeyPair {
  private final BigInteger privateKey;
  private final ECPoint publicKey;
  private final byte[] encodedPublic;

  private EcKeyPair(BigInteger privateKey) {
    this.privateKey = privateKey;
    this.publicKey = P256.multiplyG(privateKey);
    this.encodedPublic = P256.encode(publicKey);
  }

  public static EcKeyPair fromPrivate(BigInteger privateKey) {
    if (privateKey.signum() <= 0 || privateKey.compareTo(P256.N) >= 0) {
      throw new IllegalArgumentException("private key not in [1, n-1]");
    }
    return new EcKeyPair(privateKey);
  }

  public static EcKeyPair fromPrivate(byte[] scalar) {
    return fromPrivate(new BigInteger(1, scalar));
  }

  public static EcKeyPair generate(SecureRandom random) {
    return new EcKeyPair(P256.randomScalar(random));
  }

  public BigInteger privateKey() {
    return privateKey;
  }

  public ECPoint publicKey() {
    return publicKey;
  }

  /** The 65-byte uncompressed public point. */
  public byte[] publicBytes() {
    return encodedPublic.clone();
  }

  @Override
  public String toString() {
    return "EcKeyPair[public=" + Hex.encode(encodedPublic) + ", private=<redacted>]";
  }
}
