package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.iso7816.Tlv;
import java.util.Arrays;

/**
 * The AUTH0 response data (§3.4, §11.2): {@code 86 41 <dePK>} and nothing else; in particular never
 * {@code 9D}, as the profile has no fast transaction.
 *
 * @param deviceEphemeralPublicKey the 65-byte {@code dePK}
 */
public record Auth0Response(byte[] deviceEphemeralPublicKey) {

  static final int TAG_DEVICE_EPHEMERAL_KEY = 0x86;

  public Auth0Response {
    deviceEphemeralPublicKey =
        Bytes.copyOfLength(deviceEphemeralPublicKey, P256.POINT_LENGTH, "device ephemeral key");
  }

  @Override
  public byte[] deviceEphemeralPublicKey() {
    return deviceEphemeralPublicKey.clone();
  }

  /** {@code 86 41 <dePK>}, 67 bytes. */
  public byte[] data() {
    return Tlv.of(TAG_DEVICE_EPHEMERAL_KEY, deviceEphemeralPublicKey).encode();
  }

  public ResponseApdu toResponseApdu() {
    return ResponseApdu.of(data(), StatusWord.SUCCESS);
  }

  /**
   * Vehicle side of §11.2: {@code 86} must be present once and hold a valid point (§5.3); other
   * TLVs are ignored, as in every device-to-vehicle object (§0).
   *
   * @throws CccException MALFORMED when the TLVs do not parse or {@code 86} is missing or repeated
   *     (abort {@code 00}); INVALID_POINT when {@code 86} is not a valid point, whatever its length
   *     (abort {@code 0C})
   */
  public static Auth0Response parse(byte[] responseData) {
    try {
      byte[] found = null;
      for (Tlv tlv : Tlv.parseAll(responseData)) {
        if (tlv.tag() != TAG_DEVICE_EPHEMERAL_KEY) {
          continue;
        }
        if (found != null) {
          throw CccException.malformed("AUTH0 response: tag 86 repeated");
        }
        found = tlv.value();
      }
      if (found == null) {
        throw CccException.malformed("AUTH0 response: tag 86 missing");
      }
      P256.decodePoint(found);
      return new Auth0Response(found);
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Auth0Response that
        && Arrays.equals(deviceEphemeralPublicKey, that.deviceEphemeralPublicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(deviceEphemeralPublicKey);
  }

  @Override
  public String toString() {
    return "Auth0Response[dePK=" + Hex.encode(deviceEphemeralPublicKey) + "]";
  }
}
