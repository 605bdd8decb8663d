package dev.dkrig.ccc.kts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.dka.InvalidPoints;
import dev.dkrig.ccc.dka.T1Vectors;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §12.3 KTS_Response construction and §12.4 vehicle checks, against §17.4.11. */
class KtsResponseTest {
  private static final EcKeyPair KTS_EPHEMERAL = T1Vectors.key("kts_eph");
  private static final EcKeyPair DEVX_ENC = T1Vectors.key("devx_enc");
  private static final EcKeyPair ZZ2 = T1Vectors.key("zz2");
  private static final ECPoint ZZ2_PK = ZZ2.publicKey();
  private static final byte[] DK_IDENTIFIER = T1Vectors.hex("DK_identifier");
  private static final byte[] T1_RESPONSE = T1Vectors.hex("kts.KTS_Response");

  /** §17.4.1: 2026-11-27T12:05:00Z, "RECEIPT-00000001", the 50-byte uiBundle. */
  static ReceiptPlaintext t1Receipt() {
    return new ReceiptPlaintext(
        T1Vectors.VEHICLE_IDENTIFIER,
        DK_IDENTIFIER,
        0x6B0971ECL,
        "RECEIPT-00000001".getBytes(StandardCharsets.US_ASCII),
        "{\"title\":\"Digital Key\",\"vehicle\":\"DKRIG test car\"}"
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void receiptPlaintextIsT1s() {
    assertEquals(Hex.encode(T1Vectors.hex("kts.plaintext")), Hex.encode(t1Receipt().encode()));
    assertEquals(50, t1Receipt().uiBundle().length);
  }

  @Test
  void intermediatesAreT1sOnBothSides() {
    byte[] ktsSide = KtsResponse.sharedSecret(KTS_EPHEMERAL, DEVX_ENC.publicKey());
    byte[] vehicleSide = KtsResponse.sharedSecret(DEVX_ENC, KTS_EPHEMERAL.publicKey());
    byte[] info = KtsResponse.hkdfInfo(KTS_EPHEMERAL.publicBytes(), DEVX_ENC.publicBytes());
    KtsResponse.CipherKeys keys = KtsResponse.cipherKeys(ktsSide, info);

    assertEquals(Hex.encode(T1Vectors.hex("kts.Z")), Hex.encode(ktsSide));
    assertEquals(Hex.encode(T1Vectors.hex("kts.Z")), Hex.encode(vehicleSide));
    assertEquals(Hex.encode(T1Vectors.hex("kts.hkdf_info")), Hex.encode(info));
    assertEquals(Hex.encode(T1Vectors.hex("kts.aes_key")), Hex.encode(keys.key()));
    assertEquals(Hex.encode(T1Vectors.hex("kts.nonce")), Hex.encode(keys.nonce()));
    assertEquals(
        Hex.encode(T1Vectors.hex("kts.aad")),
        Hex.encode(KtsResponse.header(KTS_EPHEMERAL.publicBytes(), 128)));
    assertFalse(keys.toString().contains(Hex.encode(keys.key())));
  }

  @Test
  void theKtsBuildsT1sResponse() {
    KtsResponse response =
        KtsResponse.build(t1Receipt(), KTS_EPHEMERAL, DEVX_ENC.publicBytes(), ZZ2);

    assertEquals(Hex.encode(T1Vectors.hex("kts.aad")), Hex.encode(response.header()));
    assertEquals(Hex.encode(T1Vectors.hex("kts.ct_tag")), Hex.encode(response.ciphertextAndTag()));
    assertEquals(Hex.encode(T1Vectors.hex("kts.signature")), Hex.encode(response.signature()));
    assertEquals(Hex.encode(T1_RESPONSE), Hex.encode(response.encode()));
    assertEquals(260, response.encode().length);
  }

  @Test
  void theVehicleDecryptsT1sResponse() {
    byte[] plaintext = KtsResponse.verifyAndDecrypt(T1_RESPONSE, ZZ2_PK, DEVX_ENC);
    ReceiptPlaintext receipt =
        KtsResponse.verifyReceipt(
            T1_RESPONSE, ZZ2_PK, DEVX_ENC, T1Vectors.VEHICLE_IDENTIFIER, DK_IDENTIFIER);

    assertEquals(Hex.encode(T1Vectors.hex("kts.plaintext")), Hex.encode(plaintext));
    assertEquals(t1Receipt(), receipt);
    assertEquals(KtsResponse.parse(T1_RESPONSE), KtsResponse.parse(T1_RESPONSE));
  }

  @Test
  void step1RejectsAWrongFirstByte() {
    byte[] response = T1_RESPONSE.clone();
    response[0] = 0x02;

    assertStep(1, response);
  }

  @Test
  void step1RejectsAResponseTruncatedBy21BytesWithTheSection18_17Hint() {
    // §18.17: the 21-byte GET RESPONSE piece is lost when 6115 arrives as 9000.
    byte[] truncated = Arrays.copyOf(T1_RESPONSE, 239);

    CccException e = assertStep(1, truncated);

    assertTrue(e.getMessage().contains("§18.17"), e.getMessage());
    assertTrue(e.getMessage().contains("239"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void step1RejectsOtherLengthErrors() {
    assertStep(1, Arrays.copyOf(T1_RESPONSE, 261));
    assertStep(1, Arrays.copyOf(T1_RESPONSE, 100));
    assertStep(1, new byte[0]);
    byte[] shortCt = T1_RESPONSE.clone();
    shortCt[66] = 0x00;
    shortCt[67] = 0x0F;
    assertStep(1, Arrays.copyOf(shortCt, 1 + 65 + 2 + 15 + 64));
  }

  @Test
  void step2RejectsABadSignature() {
    byte[] response = T1_RESPONSE.clone();
    response[response.length - 1] ^= 0x01;
    assertStep(2, response);

    byte[] signedByAnother = resign(T1_RESPONSE, DEVX_ENC);
    assertStep(2, signedByAnother);
  }

  @Test
  void step2CatchesAFlippedCiphertextByteBeforeDecryption() {
    byte[] response = T1_RESPONSE.clone();
    response[100] ^= 0x01;

    assertStep(2, response);
  }

  @ParameterizedTest
  @ValueSource(strings = {"offCurve", "prefix03", "prefix00", "xNotBelowP", "yEqualsP"})
  void step3RejectsAnInvalidKtsEphemeralKey(String kind) {
    byte[] response = T1_RESPONSE.clone();
    System.arraycopy(InvalidPoints.of(kind), 0, response, 1, 65);

    CccException e = assertStep(3, resign(response, ZZ2));

    assertEquals(Failure.INVALID_POINT, ((CccException) e.getCause()).failure());
  }

  @Test
  void step4RejectsAFlippedCiphertextByteUnderAValidSignature() {
    byte[] response = T1_RESPONSE.clone();
    response[100] ^= 0x01;

    assertStep(4, resign(response, ZZ2));
  }

  @Test
  void step4RejectsTheWrongDevxKey() {
    assertStep(4, T1_RESPONSE, T1Vectors.key("vehicle"));
  }

  @Test
  void step6RejectsAReceiptForAnotherVehicleOrDk() {
    byte[] otherVehicle = Hex.decode("444B524947563032");
    byte[] otherDk = DK_IDENTIFIER.clone();
    otherDk[0] ^= 0x01;

    assertReceiptMismatch(T1_RESPONSE, otherVehicle, DK_IDENTIFIER, "step 6");
    assertReceiptMismatch(T1_RESPONSE, T1Vectors.VEHICLE_IDENTIFIER, otherDk, "step 6");

    ReceiptPlaintext foreign =
        new ReceiptPlaintext(otherVehicle, otherDk, 1L, new byte[16], new byte[0]);
    byte[] sealed = KtsResponse.build(foreign, KTS_EPHEMERAL, DEVX_ENC.publicBytes(), ZZ2).encode();
    assertReceiptMismatch(
        sealed, T1Vectors.VEHICLE_IDENTIFIER, DK_IDENTIFIER, "step 6: receipt vehicle");
  }

  @Test
  void step5RejectsAMisorderedReceipt() {
    byte[] plain = T1Vectors.hex("kts.plaintext");
    // Swap 80 (10 bytes) and 81 (22 bytes).
    byte[] misordered =
        Bytes.concat(
            Arrays.copyOfRange(plain, 10, 32),
            Arrays.copyOfRange(plain, 0, 10),
            Arrays.copyOfRange(plain, 32, plain.length));
    byte[] sealed =
        KtsResponse.seal(misordered, KTS_EPHEMERAL, DEVX_ENC.publicBytes(), ZZ2).encode();

    assertReceiptMismatch(sealed, T1Vectors.VEHICLE_IDENTIFIER, DK_IDENTIFIER, "step 5");
  }

  private static byte[] resign(byte[] response, EcKeyPair signer) {
    int signedLength = response.length - Ecdsa.RAW_SIGNATURE_LENGTH;
    byte[] signedPart = Arrays.copyOf(response, signedLength);
    return Bytes.concat(signedPart, Ecdsa.sign(signer, signedPart));
  }

  private static CccException assertStep(int step, byte[] response) {
    return assertStep(step, response, DEVX_ENC);
  }

  private static CccException assertStep(int step, byte[] response, EcKeyPair devx) {
    CccException e =
        assertThrows(
            CccException.class, () -> KtsResponse.verifyAndDecrypt(response, ZZ2_PK, devx));
    assertEquals(Failure.VERIFICATION, e.failure(), e.getMessage());
    assertTrue(e.getMessage().startsWith("§12.4 step " + step + ":"), e.getMessage());
    return e;
  }

  private static void assertReceiptMismatch(
      byte[] response, byte[] vehicleIdentifier, byte[] dkIdentifier, String messagePart) {
    CccException e =
        assertThrows(
            CccException.class,
            () ->
                KtsResponse.verifyReceipt(
                    response, ZZ2_PK, DEVX_ENC, vehicleIdentifier, dkIdentifier));
    assertEquals(Failure.MISMATCH, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void t1KtsEphemeralKeyIsValid() {
    // Guards the negative tests above: the untouched T1 kts_ePK is valid.
    P256.decodePoint(KtsResponse.parse(T1_RESPONSE).ktsEphemeralPublicKey());
  }
}
