package dev.dkrig.ccc.dka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** §11.4–11.6: signature inputs, AUTH1, the AUTH1 response plaintext and the vehicle checks. */
class Auth1Test {
  private static final ECPoint VEHICLE_PK = T1Vectors.key("vehicle").publicKey();
  private static final ECPoint ENDPOINT_PK = T1Vectors.key("endpoint").publicKey();

  private static final String SIGNATURE = "9E40" + "11".repeat(64);
  private static final String KEY_SLOT = "4E080000000000000001";
  private static final String SIGBMP = "5E020001";

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void signatureInputsAreTheTranscriptOnes(T1Phase phase) {
    byte[] vehicle = SignatureInputs.vehicle(phase.context());
    byte[] endpoint = SignatureInputs.endpoint(phase.context());

    assertEquals(Hex.encode(phase.hex("vehicle_sig_input")), Hex.encode(vehicle));
    assertEquals(Hex.encode(phase.hex("endpoint_sig_input")), Hex.encode(endpoint));
    assertEquals(SignatureInputs.LENGTH, vehicle.length);
    assertEquals(SignatureInputs.LENGTH, endpoint.length);
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void vehicleSignsWithRfc6979AndBuildsTheTranscriptCommand(T1Phase phase) {
    Auth1Command auth1 = Auth1Command.sign(phase.context(), T1Vectors.key("vehicle"));

    assertEquals(Hex.encode(phase.hex("vehicle_sig")), Hex.encode(auth1.vehicleSignature()));
    byte[] apdu = auth1.toApdu().bytes();
    assertEquals(Hex.encode(T1Vectors.command(phase.auth1Step)), Hex.encode(apdu));
    assertEquals("80810000429E40", Hex.encode(apdu, 0, 7));
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void deviceParsesAndVerifiesTheTranscriptCommandWithAndWithoutLe(T1Phase phase) {
    byte[] withLe = T1Vectors.command(phase.auth1Step);
    byte[] withoutLe = Arrays.copyOf(withLe, withLe.length - 1);

    for (byte[] bytes : List.of(withLe, withoutLe)) {
      Auth1Command auth1 = Auth1Command.parse(CommandApdu.parse(bytes));
      assertArrayEquals(phase.hex("vehicle_sig"), auth1.vehicleSignature());
      auth1.verify(phase.context(), VEHICLE_PK);
    }
  }

  @Test
  void deviceRejectsAVehicleSignatureFromAnotherTransactionOrKey() {
    Auth1Command p4Signature =
        Auth1Command.parse(CommandApdu.parse(T1Vectors.command(T1Phase.P4.auth1Step)));
    CccException e =
        assertThrows(
            CccException.class, () -> p4Signature.verify(T1Phase.P3.context(), VEHICLE_PK));
    assertEquals(Failure.VERIFICATION, e.failure());

    Auth1Command p3Signature =
        Auth1Command.parse(CommandApdu.parse(T1Vectors.command(T1Phase.P3.auth1Step)));
    e =
        assertThrows(
            CccException.class, () -> p3Signature.verify(T1Phase.P3.context(), ENDPOINT_PK));
    assertEquals(Failure.VERIFICATION, e.failure());
  }

  @Test
  void deviceRejectsMalformedAuth1Data() {
    for (String data :
        List.of(
            "", "9E3F" + "11".repeat(63), "9E41" + "11".repeat(65), SIGNATURE + "9D00", "9F40")) {
      CccException e =
          assertThrows(
              CccException.class,
              () -> Auth1Command.parse(CommandApdu.of(0x80, 0x81, 0, 0, Hex.decode(data))),
              data);
      assertEquals(Failure.MALFORMED, e.failure(), data);
    }
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void deviceBuildsTheTranscriptResponsePlaintext(T1Phase phase) {
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.create(
            phase.context(), T1Vectors.key("endpoint"), T1Vectors.INITIAL_KEY_SLOT, phase.sigBmp);

    assertEquals(Hex.encode(phase.hex("endpoint_sig")), Hex.encode(plaintext.endpointSignature()));
    assertEquals(Hex.encode(phase.hex("auth1_resp_plain")), Hex.encode(plaintext.encode()));
    assertEquals(Auth1ResponsePlaintext.LENGTH, plaintext.encode().length);
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void vehicleParsesAndChecksTheTranscriptResponsePlaintext(T1Phase phase) {
    Auth1ResponsePlaintext plaintext = Auth1ResponsePlaintext.parse(phase.hex("auth1_resp_plain"));

    plaintext.verifyEndpointSignature(phase.context(), ENDPOINT_PK);
    plaintext.checkKeySlot(T1Vectors.INITIAL_KEY_SLOT);
    assertEquals(phase.sigBmp, plaintext.sigBmp());
    assertEquals(phase == T1Phase.P4, plaintext.receiptAvailable());
  }

  @Test
  void sigBmpBitsReadAsABigEndianInteger() {
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.parse(Hex.decode(SIGNATURE + KEY_SLOT + "5E020105"));

    assertTrue(plaintext.sigBmpBit(0));
    assertFalse(plaintext.sigBmpBit(1));
    assertTrue(plaintext.sigBmpBit(2));
    assertTrue(plaintext.sigBmpBit(8));
    assertTrue(plaintext.receiptAvailable());
  }

  @Test
  void vehicleIgnoresUnknownTlvsAndOrderInTheResponse() {
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.parse(
            Hex.decode("9D0101" + SIGBMP + KEY_SLOT + "5F5F00" + SIGNATURE));

    assertEquals(1, plaintext.sigBmp());
    assertEquals("11".repeat(64), Hex.encode(plaintext.endpointSignature()));
  }

  @Test
  void vehicleRejectsAResponseMissingATlvForAbort00() {
    for (String data :
        List.of(KEY_SLOT + SIGBMP, SIGNATURE + SIGBMP, SIGNATURE + KEY_SLOT, "", "9D00")) {
      assertMalformedResponse(data);
    }
  }

  @Test
  void vehicleRejectsWrongLengthsAndRepeatsForAbort00() {
    List<String> bad =
        List.of(
            "9E3F" + "11".repeat(63) + KEY_SLOT + SIGBMP,
            SIGNATURE + "4E0700000000000001" + SIGBMP,
            SIGNATURE + "4E09000000000000000001" + SIGBMP,
            SIGNATURE + KEY_SLOT + "5E0101",
            SIGNATURE + KEY_SLOT + "5E03000001",
            SIGNATURE + KEY_SLOT + SIGBMP + SIGBMP,
            SIGNATURE + KEY_SLOT + "5E02");
    for (String data : bad) {
      assertMalformedResponse(data);
    }
  }

  @Test
  void vehicleRejectsABadEndpointSignatureForAbort0B() {
    byte[] plain = T1Phase.P3.hex("auth1_resp_plain");
    plain[10] ^= 0x01;
    Auth1ResponsePlaintext tampered = Auth1ResponsePlaintext.parse(plain);
    Auth1ResponsePlaintext otherTransaction =
        Auth1ResponsePlaintext.parse(T1Phase.P4.hex("auth1_resp_plain"));

    for (Auth1ResponsePlaintext plaintext : List.of(tampered, otherTransaction)) {
      CccException e =
          assertThrows(
              CccException.class,
              () -> plaintext.verifyEndpointSignature(T1Phase.P3.context(), ENDPOINT_PK));
      assertEquals(Failure.VERIFICATION, e.failure());
    }
  }

  @Test
  void aVehicleSignatureNeverPassesAsAnEndpointSignature() {
    // The usage constants of §11.4 separate the two inputs even under the same key.
    TransactionContext context = T1Phase.P3.context();
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.create(
            context, T1Vectors.key("vehicle"), T1Vectors.INITIAL_KEY_SLOT, 0);
    Auth1Command auth1 = new Auth1Command(plaintext.endpointSignature());

    assertThrows(CccException.class, () -> auth1.verify(context, VEHICLE_PK));
    plaintext.verifyEndpointSignature(context, VEHICLE_PK);
  }

  @Test
  void vehicleRejectsAKeySlotMismatchForAbort0A() {
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.parse(T1Phase.P3.hex("auth1_resp_plain"));

    CccException e =
        assertThrows(
            CccException.class, () -> plaintext.checkKeySlot(Hex.decode("0000000000000002")));
    assertEquals(Failure.MISMATCH, e.failure());
    assertThrows(CccException.class, () -> plaintext.checkKeySlot(Hex.decode("00000000000001")));
  }

  private static void assertMalformedResponse(String data) {
    CccException e =
        assertThrows(
            CccException.class, () -> Auth1ResponsePlaintext.parse(Hex.decode(data)), data);
    assertEquals(Failure.MALFORMED, e.failure(), data);
  }
}
