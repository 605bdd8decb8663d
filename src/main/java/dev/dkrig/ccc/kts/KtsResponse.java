package dev.dkrig.ccc.kts;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The KTS_Response (§12.3): {@code 01 ‖ kts_ePK(65) ‖ ct_len(2) ‖ CT‖TAG ‖ SIG(64)}, the receipt
 * encrypted to {@code Devx.Enc.PK} (ECIES: ECDH, HKDF, AES-128-GCM) and signed by {@code ZZ2.SK}.
 *
 * <p>The simulated KTS {@linkplain #build builds} it; the device stores it unparsed; the vehicle
 * runs the checks of §12.4 with {@link #verifyAndDecrypt} and {@link #verifyReceipt}.
 *
 * @param ktsEphemeralPublicKey {@code kts_ePK}, 65 bytes
 * @param ciphertextAndTag {@code CT‖TAG}, at least the 16-byte tag
 * @param signature {@code SIG}, raw {@code r ‖ s} over everything before it
 */
public record KtsResponse(byte[] ktsEphemeralPublicKey, byte[] ciphertextAndTag, byte[] signature) {

  private static final int CT_LEN_OFFSET = 1 + P256.POINT_LENGTH;
  private static final int HEADER_LENGTH = CT_LEN_OFFSET + 2;
  private static final int MINIMUM_LENGTH =
      HEADER_LENGTH + DkProfile.KTS_TAG_LENGTH + Ecdsa.RAW_SIGNATURE_LENGTH;
  private static final String TRUNCATION_HINT =
      "; a 61XX turned into 9000 on the air may have truncated the chained EXCHANGE response"
          + " (§18.17)";

  public KtsResponse {
    if (ktsEphemeralPublicKey.length != P256.POINT_LENGTH) {
      throw new IllegalArgumentException("kts_ePK must be 65 bytes");
    }
    if (ciphertextAndTag.length < DkProfile.KTS_TAG_LENGTH || ciphertextAndTag.length > 0xFFFF) {
      throw new IllegalArgumentException("CT||TAG length outside 16-65535");
    }
    if (signature.length != Ecdsa.RAW_SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("SIG must be 64 bytes");
    }
    ktsEphemeralPublicKey = ktsEphemeralPublicKey.clone();
    ciphertextAndTag = ciphertextAndTag.clone();
    signature = signature.clone();
  }

  /**
   * The simulated KTS's construction, §12.3 steps 3–7 (steps 1–2, the receipt and the fresh
   * ephemeral key, are the caller's).
   *
   * @param devxEncPublic the 65-byte {@code Devx.Enc.PK}
   */
  public static KtsResponse build(
      ReceiptPlaintext receipt, EcKeyPair ktsEphemeralKey, byte[] devxEncPublic, EcKeyPair zz2Key) {
    return seal(receipt.encode(), ktsEphemeralKey, devxEncPublic, zz2Key);
  }

  /** {@link #build} for any plaintext, so tests can seal receipts the KTS would never write. */
  static KtsResponse seal(
      byte[] plaintext, EcKeyPair ktsEphemeralKey, byte[] devxEncPublic, EcKeyPair zz2Key) {
    byte[] ephemeralPublic = ktsEphemeralKey.publicBytes();
    byte[] z = sharedSecret(ktsEphemeralKey, P256.decodePoint(devxEncPublic));
    CipherKeys keys = cipherKeys(z, hkdfInfo(ephemeralPublic, devxEncPublic));
    byte[] header = header(ephemeralPublic, plaintext.length + DkProfile.KTS_TAG_LENGTH);
    byte[] ciphertextAndTag = Crypto.aesGcmEncrypt(keys.key(), keys.nonce(), header, plaintext);
    byte[] signature = Ecdsa.sign(zz2Key, Bytes.concat(header, ciphertextAndTag));
    return new KtsResponse(ephemeralPublic, ciphertextAndTag, signature);
  }

  @Override
  public byte[] ktsEphemeralPublicKey() {
    return ktsEphemeralPublicKey.clone();
  }

  @Override
  public byte[] ciphertextAndTag() {
    return ciphertextAndTag.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** {@code header = 01 ‖ kts_ePK ‖ ct_len}, the GCM AAD (§12.3 step 5). */
  public byte[] header() {
    return header(ktsEphemeralPublicKey, ciphertextAndTag.length);
  }

  /** Everything before SIG: the bytes ZZ2 signs (§12.3 step 7). */
  public byte[] signedBytes() {
    return Bytes.concat(header(), ciphertextAndTag);
  }

  public byte[] encode() {
    return Bytes.concat(header(), ciphertextAndTag, signature);
  }

  /**
   * §12.4 step 1: length = 1 + 65 + 2 + ct_len + 64, ct_len ≥ 16, first byte {@code 01}. Nothing is
   * verified yet.
   *
   * @throws CccException VERIFICATION otherwise (abort {@code 0B})
   */
  public static KtsResponse parse(byte[] bytes) {
    if (bytes.length < MINIMUM_LENGTH) {
      throw step(
          1,
          "KTS_Response is "
              + bytes.length
              + " bytes, shorter than the minimum "
              + MINIMUM_LENGTH
              + TRUNCATION_HINT);
    }
    int ctLen = Bytes.u16(bytes, CT_LEN_OFFSET);
    if (ctLen < DkProfile.KTS_TAG_LENGTH) {
      throw step(1, "ct_len " + ctLen + " is below the 16-byte GCM tag");
    }
    int expected = HEADER_LENGTH + ctLen + Ecdsa.RAW_SIGNATURE_LENGTH;
    if (bytes.length != expected) {
      throw step(
          1,
          "KTS_Response is "
              + bytes.length
              + " bytes, ct_len "
              + ctLen
              + " requires "
              + expected
              + TRUNCATION_HINT);
    }
    if ((bytes[0] & 0xFF) != DkProfile.KTS_RESPONSE_FORMAT) {
      throw step(1, "first byte " + Hex.u8(bytes[0] & 0xFF) + ", expected 01");
    }
    return new KtsResponse(
        Bytes.range(bytes, 1, CT_LEN_OFFSET),
        Bytes.range(bytes, HEADER_LENGTH, HEADER_LENGTH + ctLen),
        Bytes.range(bytes, HEADER_LENGTH + ctLen, bytes.length));
  }

  /**
   * The vehicle's §12.4 steps 1–4, in order: layout, ZZ2 signature, {@code kts_ePK} validity, ECDH
   * with {@code Devx.Enc.SK} and GCM decryption.
   *
   * @return the receipt plaintext {@code R}, not yet checked (steps 5–6)
   * @throws CccException VERIFICATION naming the failed step (abort {@code 0B})
   */
  public static byte[] verifyAndDecrypt(byte[] bytes, ECPoint zz2Public, EcKeyPair devxEncKeyPair) {
    KtsResponse response = parse(bytes);
    if (!Ecdsa.verify(zz2Public, response.signedBytes(), response.signature)) {
      throw step(2, "SIG does not verify under ZZ2.PK");
    }
    ECPoint ephemeral;
    try {
      ephemeral = P256.decodePoint(response.ktsEphemeralPublicKey);
    } catch (CccException e) {
      throw step(3, "kts_ePK: " + e.getMessage(), e);
    }
    byte[] z = sharedSecret(devxEncKeyPair, ephemeral);
    CipherKeys keys =
        cipherKeys(z, hkdfInfo(response.ktsEphemeralPublicKey, devxEncKeyPair.publicBytes()));
    try {
      return Crypto.aesGcmDecrypt(
          keys.key(), keys.nonce(), response.header(), response.ciphertextAndTag);
    } catch (CccException e) {
      throw step(4, "AES-GCM decryption with Devx.Enc failed: " + e.getMessage(), e);
    }
  }

  /**
   * All of §12.4: steps 1–4 as {@link #verifyAndDecrypt}, then the receipt layout (step 5) and
   * identifiers (step 6).
   *
   * @throws CccException VERIFICATION for steps 1–4 (abort {@code 0B}), MISMATCH for steps 5–6
   *     (abort {@code 0A})
   */
  public static ReceiptPlaintext verifyReceipt(
      byte[] bytes,
      ECPoint zz2Public,
      EcKeyPair devxEncKeyPair,
      byte[] expectedVehicleIdentifier,
      byte[] expectedDkIdentifier) {
    ReceiptPlaintext receipt =
        ReceiptPlaintext.parse(verifyAndDecrypt(bytes, zz2Public, devxEncKeyPair));
    receipt.checkIdentifiers(expectedVehicleIdentifier, expectedDkIdentifier);
    return receipt;
  }

  /** {@code Z}: the X coordinate of the ECDH product, either side (§12.3 step 3, §12.4 step 4). */
  static byte[] sharedSecret(EcKeyPair ownKey, ECPoint peer) {
    return P256.ecdhX(ownKey.privateKey(), peer);
  }

  /** {@code "DKRIG-KTS-v1" ‖ kts_ePK ‖ Devx.Enc.PK} (§12.3 step 4). */
  static byte[] hkdfInfo(byte[] ktsEphemeralPublic, byte[] devxEncPublic) {
    return Bytes.concat(DkProfile.LABEL_KTS, ktsEphemeralPublic, devxEncPublic);
  }

  /** {@code OKM = HKDF(Z, info, 28)} split into key and nonce (§12.3 step 4). */
  static CipherKeys cipherKeys(byte[] z, byte[] info) {
    byte[] okm = Crypto.hkdf(z, info, DkProfile.KTS_KEY_LENGTH + DkProfile.KTS_NONCE_LENGTH);
    return new CipherKeys(
        Arrays.copyOfRange(okm, 0, DkProfile.KTS_KEY_LENGTH),
        Arrays.copyOfRange(okm, DkProfile.KTS_KEY_LENGTH, okm.length));
  }

  static byte[] header(byte[] ktsEphemeralPublic, int ctLen) {
    return new Bytes.Builder()
        .add(DkProfile.KTS_RESPONSE_FORMAT)
        .add(ktsEphemeralPublic)
        .add(Bytes.u16(ctLen))
        .build();
  }

  private static CccException step(int step, String why) {
    return new CccException(CccException.Failure.VERIFICATION, "§12.4 step " + step + ": " + why);
  }

  private static CccException step(int step, String why, Throwable cause) {
    return new CccException(
        CccException.Failure.VERIFICATION, "§12.4 step " + step + ": " + why, cause);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KtsResponse that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "KtsResponse[" + Hex.encode(encode()) + "]";
  }

  /** The AES-128-GCM key and nonce of one KTS_Response; secrets, so never printed. */
  record CipherKeys(byte[] key, byte[] nonce) {
    CipherKeys {
      key = key.clone();
      nonce = nonce.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CipherKeys that
          && Arrays.equals(key, that.key)
          && Arrays.equals(nonce, that.nonce);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
      return "CipherKeys[<redacted>]";
    }
  }
}
