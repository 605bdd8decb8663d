package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;

/**
 * The DK identifier (§1): SHA-1 of the 65-byte endpoint public point, 20 bytes, which is also the
 * SKI of H. Its text form is 40 upper-case hex digits (H's subject CN, logs, backends).
 *
 * @param value the 20 bytes
 */
public record DkIdentifier(byte[] value) {
  public static final int LENGTH = 20;

  public DkIdentifier {
    if (value.length != LENGTH) {
      throw CccException.malformed("DK identifier has " + value.length + " bytes, expected 20");
    }
    value = value.clone();
  }

  /** {@code SHA-1(endpoint point)} (§8.1 step 2). */
  public static DkIdentifier ofEndpointKey(byte[] endpointPoint) {
    if (endpointPoint.length != P256.POINT_LENGTH) {
      throw new IllegalArgumentException(
          "endpoint public key has " + endpointPoint.length + " bytes, expected 65");
    }
    return new DkIdentifier(Crypto.sha1(endpointPoint));
  }

  public static DkIdentifier fromHex(String hex) {
    return new DkIdentifier(Hex.decode(hex));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** 40 upper-case hex digits. */
  public String hex() {
    return Hex.encode(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DkIdentifier that && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
