package dev.dkrig.ccc.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.dka.InvalidPoints;
import dev.dkrig.ccc.dka.T1Vectors;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** §9 vehicle attestation 5F5A against §17.4.8. */
class VehicleAttestationTest {
  private static final EcKeyPair VEHICLE = T1Vectors.key("vehicle");
  private static final ECPoint VEHICLE_PK = VEHICLE.publicKey();
  private static final byte[] DK_IDENTIFIER = T1Vectors.hex("DK_identifier");

  /** §17.4.1: 2026-11-27T12:01:00Z. */
  private static final long ATTESTATION_TIME = 0x6B0970FCL;

  private static VehicleAttestation t1() {
    return new VehicleAttestation(
        T1Vectors.VEHICLE_IDENTIFIER,
        DK_IDENTIFIER,
        T1Vectors.hex("key.endpoint.PK"),
        ATTESTATION_TIME);
  }

  @Test
  void signedBytesSignatureAndValueAreT1s() {
    VehicleAttestation.Signed signed = t1().sign(VEHICLE);

    assertEquals(Hex.encode(T1Vectors.hex("att.signed_bytes")), Hex.encode(t1().signedBytes()));
    assertEquals(Hex.encode(T1Vectors.hex("att.signature")), Hex.encode(signed.signature()));
    assertEquals(Hex.encode(T1Vectors.hex("att.5F5A_value")), Hex.encode(signed.encode()));
    assertEquals(166, signed.encode().length);
    assertEquals(
        "5F5A81A6" + Hex.encode(T1Vectors.hex("att.5F5A_value")),
        Hex.encode(signed.toTlv().encode()));
  }

  @Test
  void theDkIdentifierIsSha1OfTheEndpointPoint() {
    VehicleAttestation derived =
        VehicleAttestation.forEndpoint(
            T1Vectors.VEHICLE_IDENTIFIER, T1Vectors.hex("key.endpoint.PK"), ATTESTATION_TIME);

    assertEquals(t1(), derived);
  }

  @Test
  void theKtsParsesAndVerifiesT1sValue() {
    VehicleAttestation.Signed parsed = VehicleAttestation.parse(T1Vectors.hex("att.5F5A_value"));

    parsed.verify(VEHICLE_PK, T1Vectors.VEHICLE_IDENTIFIER, DK_IDENTIFIER);
    assertEquals(t1(), parsed.attestation());
    assertEquals(ATTESTATION_TIME, parsed.attestation().attestationTime());
    assertEquals(parsed, VehicleAttestation.parseTlv(t1().sign(VEHICLE).toTlv().encode()));
  }

  @Test
  void aWrongSignatureFailsVerification() {
    byte[] value = T1Vectors.hex("att.5F5A_value");
    value[140] ^= 0x01;
    VehicleAttestation.Signed tampered = VehicleAttestation.parse(value);
    VehicleAttestation.Signed otherKey = t1().sign(T1Vectors.key("zz2"));
    byte[] content = T1Vectors.hex("att.5F5A_value");
    content[100] ^= 0x01;
    VehicleAttestation.Signed alteredTime = VehicleAttestation.parse(content);

    for (VehicleAttestation.Signed signed :
        new VehicleAttestation.Signed[] {tampered, otherKey, alteredTime}) {
      assertFailure(
          Failure.VERIFICATION,
          () -> signed.verify(VEHICLE_PK, T1Vectors.VEHICLE_IDENTIFIER, DK_IDENTIFIER));
    }
  }

  @Test
  void identifiersOtherThanTheExpectedOnesMismatch() {
    VehicleAttestation.Signed signed = t1().sign(VEHICLE);

    assertFailure(
        Failure.MISMATCH,
        () -> signed.verify(VEHICLE_PK, Hex.decode("444B524947563032"), DK_IDENTIFIER));
    byte[] otherDk = DK_IDENTIFIER.clone();
    otherDk[19] ^= 0x01;
    assertFailure(
        Failure.MISMATCH, () -> signed.verify(VEHICLE_PK, T1Vectors.VEHICLE_IDENTIFIER, otherDk));
  }

  @Test
  void parseIsStrict() {
    byte[] value = T1Vectors.hex("att.5F5A_value");
    assertFailure(Failure.MALFORMED, () -> VehicleAttestation.parse(Arrays.copyOf(value, 165)));
    assertFailure(Failure.MALFORMED, () -> VehicleAttestation.parse(Arrays.copyOf(value, 167)));
    byte[] format = value.clone();
    format[0] = 0x02;
    assertFailure(Failure.MALFORMED, () -> VehicleAttestation.parse(format));
    byte[] badPoint =
        Bytes.concat(
            Arrays.copyOf(value, 29),
            InvalidPoints.of("offCurve"),
            Arrays.copyOfRange(value, 94, 166));
    assertFailure(Failure.INVALID_POINT, () -> VehicleAttestation.parse(badPoint));
    assertFailure(
        Failure.MALFORMED,
        () -> VehicleAttestation.parseTlv(Bytes.concat(Hex.decode("5F5B81A6"), value)));
    assertFailure(
        Failure.MALFORMED,
        () ->
            VehicleAttestation.parseTlv(
                Bytes.concat(Hex.decode("5F5A81A6"), value, Hex.decode("9000"))));
  }

  private static void assertFailure(Failure expected, Executable executable) {
    CccException e = assertThrows(CccException.class, executable);
    assertEquals(expected, e.failure(), e.getMessage());
  }
}
