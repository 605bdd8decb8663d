package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The AUTH1 response plaintext (§11.5), 80 bytes: {@code 9E 40 <endpoint signature> 4E 08 <key
 * slot> 5E 02 <SigBmp>}. The secure channel encrypts and MACs it; this class only handles the
 * plaintext and the vehicle checks of §11.6 steps 2–5.
 *
 * @param endpointSignature raw {@code r ‖ s} over {@code endpoint_sig_input}, 64 bytes
 * @param keySlot the 7F4A initial key slot, always 8 bytes (§18.3)
 * @param sigBmp the 16-bit SigBmp (§12.1)
 */
public record Auth1ResponsePlaintext(byte[] endpointSignature, byte[] keySlot, int sigBmp) {

  public static final int LENGTH = 80;

  static final int TAG_SIGNATURE = 0x9E;
  static final int TAG_KEY_SLOT = 0x4E;
  static final int TAG_SIGBMP = 0x5E;

  public Auth1ResponsePlaintext {
    endpointSignature =
        Bytes.copyOfLength(endpointSignature, Ecdsa.RAW_SIGNATURE_LENGTH, "endpoint signature");
    keySlot = Bytes.copyOfLength(keySlot, DkProfile.INITIAL_KEY_SLOT_LENGTH, "key slot");
    if (sigBmp < 0 || sigBmp > 0xFFFF) {
      throw new IllegalArgumentException("SigBmp out of range: " + sigBmp);
    }
  }

  /** The device's plaintext: signs {@code endpoint_sig_input} with the endpoint key (§11.4). */
  public static Auth1ResponsePlaintext create(
      TransactionContext context, EcKeyPair endpointKey, byte[] keySlot, int sigBmp) {
    return new Auth1ResponsePlaintext(
        Ecdsa.sign(endpointKey, SignatureInputs.endpoint(context)), keySlot, sigBmp);
  }

  @Override
  public byte[] endpointSignature() {
    return endpointSignature.clone();
  }

  @Override
  public byte[] keySlot() {
    return keySlot.clone();
  }

  /** The 80-byte plaintext, TLVs in the order of §11.5. */
  public byte[] encode() {
    return Tlv.encodeAll(
        List.of(
            Tlv.of(TAG_SIGNATURE, endpointSignature),
            Tlv.of(TAG_KEY_SLOT, keySlot),
            Tlv.of(TAG_SIGBMP, Bytes.u16(sigBmp))));
  }

  /**
   * Vehicle side, §11.6 step 2: {@code 9E} (64), {@code 4E} (8) and {@code 5E} (2) each present
   * once with that length, in any order; unknown TLVs are ignored (a device-to-vehicle object, §0).
   *
   * @throws CccException MALFORMED otherwise (abort {@code 00})
   */
  public static Auth1ResponsePlaintext parse(byte[] plaintext) {
    try {
      byte[] signature = null;
      byte[] keySlot = null;
      byte[] sigBmp = null;
      for (Tlv tlv : Tlv.parseAll(plaintext)) {
        switch (tlv.tag()) {
          case TAG_SIGNATURE -> signature = once(signature, tlv);
          case TAG_KEY_SLOT -> keySlot = once(keySlot, tlv);
          case TAG_SIGBMP -> sigBmp = once(sigBmp, tlv);
          default -> {
            // Unknown tags in device-to-vehicle objects are ignored (§0).
          }
        }
      }
      return new Auth1ResponsePlaintext(
          fixed(signature, TAG_SIGNATURE, Ecdsa.RAW_SIGNATURE_LENGTH),
          fixed(keySlot, TAG_KEY_SLOT, DkProfile.INITIAL_KEY_SLOT_LENGTH),
          Bytes.u16(fixed(sigBmp, TAG_SIGBMP, 2), 0));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** Whether SigBmp bit {@code bit} (value 2^bit) is set (§12.1). */
  public boolean sigBmpBit(int bit) {
    if (bit < 0 || bit > 15) {
      throw new IllegalArgumentException("SigBmp bit out of range: " + bit);
    }
    return (sigBmp & (1 << bit)) != 0;
  }

  /** SigBmp bit 0: a KTS_Response can be fetched with EXCHANGE {@code E3} (§12.1, §12.2). */
  public boolean receiptAvailable() {
    return sigBmpBit(DkProfile.SIGBMP_RECEIPT);
  }

  /**
   * §11.6 step 3: {@code endpoint_sig_input} verifies under the stored endpoint public key.
   *
   * @throws CccException VERIFICATION otherwise (abort {@code 0B})
   */
  public void verifyEndpointSignature(TransactionContext context, ECPoint endpointPublicKey) {
    if (!Ecdsa.verify(endpointPublicKey, SignatureInputs.endpoint(context), endpointSignature)) {
      throw new CccException(
          CccException.Failure.VERIFICATION,
          "AUTH1 response: endpoint signature does not verify under the endpoint public key");
    }
  }

  /**
   * §11.6 step 4, §18.3: {@code 4E} equals the 7F4A initial key slot byte for byte.
   *
   * @throws CccException MISMATCH otherwise (abort {@code 0A})
   */
  public void checkKeySlot(byte[] initialKeySlot) {
    if (!Arrays.equals(keySlot, initialKeySlot)) {
      throw new CccException(
          CccException.Failure.MISMATCH,
          "AUTH1 response: key slot "
              + Hex.encode(keySlot)
              + " differs from the initial key slot "
              + Hex.encode(initialKeySlot));
    }
  }

  private static byte[] once(byte[] previous, Tlv tlv) {
    if (previous != null) {
      throw CccException.malformed("AUTH1 response: tag " + Tlv.tagName(tlv.tag()) + " repeated");
    }
    return tlv.value();
  }

  private static byte[] fixed(byte[] value, int tag, int length) {
    if (value == null) {
      throw CccException.malformed("AUTH1 response: tag " + Tlv.tagName(tag) + " missing");
    }
    if (value.length != length) {
      throw CccException.malformed(
          "AUTH1 response: tag "
              + Tlv.tagName(tag)
              + " has length "
              + value.length
              + ", expected "
              + length);
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Auth1ResponsePlaintext that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "Auth1ResponsePlaintext[endpointSignature="
        + Hex.encode(endpointSignature)
        + ", keySlot="
        + Hex.encode(keySlot)
        + ", sigBmp="
        + Hex.u16(sigBmp)
        + "]";
  }
}
