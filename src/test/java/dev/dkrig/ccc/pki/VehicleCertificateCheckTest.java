package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** §7.7: the device's check of K (7F4B), optionally via 7F4C, against 7F4A. */
class VehicleCertificateCheckTest {
  private static final CccCertificate VEHICLE_OEM_CA =
      CccCertificate.parse(T1.bytes("cert.VehicleOemCA"));
  private static final VehicleCertificateCheck CHECK =
      new VehicleCertificateCheck(TrustAnchor.of(VEHICLE_OEM_CA));
  private static final EcKeyPair INTERMEDIATE_KEY = T1.derivedKey("vehicle_intermediate_ca");

  @Test
  void t1VehicleCertificateVerifiesAtTheDeviceClock() {
    CccCertificate k =
        CHECK.verify(T1.bytes("cert.K"), Optional.empty(), T1.creationData(), T1.DEVICE_CLOCK);
    assertEquals(T1.vector("cert.K"), Hex.encode(k.encoded()));
  }

  @Test
  void verifiesThroughAVehicleIntermediateCa() {
    CccCertificate intermediate = intermediateBuilder().sign(T1.VEHICLE_OEM_CA_KEY);
    byte[] k = kUnder(intermediate).signEncoded(INTERMEDIATE_KEY);
    CHECK.verify(k, Optional.of(intermediate.encoded()), T1.creationData(), T1.DEVICE_CLOCK);
  }

  @Test
  void kUnderTheIntermediateFailsWithoutIt() {
    CccCertificate intermediate = intermediateBuilder().sign(T1.VEHICLE_OEM_CA_KEY);
    byte[] k = kUnder(intermediate).signEncoded(INTERMEDIATE_KEY);
    assertRule(
        k,
        Optional.empty(),
        "K (vehicle): signature does not verify with the trust anchor's key (§8.5 rule 2)");
  }

  @Test
  void intermediateIsCheckedWithItsOwnProfile() {
    byte[] notCa =
        intermediateBuilder()
            .editExtensions(
                Asn1Edits.replacing(
                    "2.5.29.19",
                    e ->
                        CertificateExtension.critical(
                            "2.5.29.19",
                            CccCertificateBuilder.basicConstraints(CertificateType.VEHICLE))))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    CccCertificate intermediate = intermediateBuilder().sign(T1.VEHICLE_OEM_CA_KEY);
    byte[] k = kUnder(intermediate).signEncoded(INTERMEDIATE_KEY);
    assertRule(
        k,
        Optional.of(notCa),
        "7F4C (vehicle intermediate CA): basicConstraints cA is FALSE, expected TRUE (§8.5 rule"
            + " 5)");

    byte[] wrongExtension =
        intermediateBuilder()
            .editExtensions(
                Asn1Edits.replacing(
                    CertificateType.VEHICLE_INTERMEDIATE_CA.cccExtensionOid(),
                    e ->
                        CertificateExtension.critical(
                            CertificateType.VEHICLE_OEM_CA.cccExtensionOid(), e.value())))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertRule(
        k,
        Optional.of(wrongExtension),
        "7F4C (vehicle intermediate CA): CCC extension .5.8 missing (§8.5 rule 5)");
  }

  @Test
  void kMustCarryExtension51() {
    byte[] k =
        T1.vehicleBuilder()
            .editExtensions(
                Asn1Edits.replacing(
                    CertificateType.VEHICLE.cccExtensionOid(),
                    e ->
                        CertificateExtension.critical(
                            CertificateType.ENDPOINT.cccExtensionOid(), e.value())))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertRule(k, Optional.empty(), "K (vehicle): CCC extension .5.1 missing (§8.5 rule 5)");
  }

  @Test
  void kMustBeAnEndEntityWithDigitalSignature() {
    byte[] caFlag =
        T1.vehicleBuilder()
            .editExtensions(
                Asn1Edits.replacing(
                    "2.5.29.19",
                    e ->
                        CertificateExtension.critical(
                            "2.5.29.19",
                            CccCertificateBuilder.basicConstraints(CertificateType.DEVICE_OEM_CA))))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertRule(
        caFlag,
        Optional.empty(),
        "K (vehicle): basicConstraints cA is TRUE, expected FALSE (§8.5 rule 5)");

    byte[] keyCertSign =
        T1.vehicleBuilder()
            .editExtensions(
                Asn1Edits.replacing(
                    "2.5.29.15",
                    e -> CertificateExtension.critical("2.5.29.15", Hex.decode("03020204"))))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertRule(
        keyCertSign,
        Optional.empty(),
        "K (vehicle): keyUsage 03020204 lacks digitalSignature (§8.5 rule 5)");
  }

  @Test
  void kMustBeValidAtTheDeviceClockUnlessTheCheckIsOff() {
    byte[] k =
        T1.vehicleBuilder()
            .validity(T1.CA_NOT_BEFORE, Instant.parse("2026-11-27T11:59:59Z"))
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertRule(
        k,
        Optional.empty(),
        "K (vehicle): expired: notAfter 2026-11-27T11:59:59Z is before now 2026-11-27T12:00:00Z"
            + " (§8.5 rule 6)");
    new VehicleCertificateCheck(TrustAnchor.of(VEHICLE_OEM_CA), false)
        .verify(k, Optional.empty(), T1.creationData(), T1.DEVICE_CLOCK);
  }

  @Test
  void kMustBeDer() {
    byte[] k = Asn1Edits.withIndefiniteLength(T1.bytes("cert.K"));
    CccException e = failure(k, Optional.empty(), T1.creationData());
    assertEquals(CccException.Failure.VERIFICATION, e.failure());
    assertTrue(e.getMessage().startsWith("K (vehicle): certificate: not DER"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(§8.5 rule 1)"), e.getMessage());
  }

  @Test
  void commonNameMustBeTheHexOfTheVehicleIdentifier() {
    EndpointCreationData otherVehicle =
        withVehicle(Hex.decode("444B524947563032"), T1.VEHICLE_KEY.publicBytes());
    CccException e = failure(T1.bytes("cert.K"), Optional.empty(), otherVehicle);
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertEquals(
        "K subject CN '444B524947563031' differs from the hex of 7F4A.4D 444B524947563032",
        e.getMessage());

    byte[] lowerCase =
        T1.vehicleBuilder()
            .subjectCommonName("444b524947563031")
            .signEncoded(T1.VEHICLE_OEM_CA_KEY);
    assertEquals(
        CccException.Failure.MISMATCH,
        failure(lowerCase, Optional.empty(), T1.creationData()).failure());
  }

  @Test
  void publicKeyMustBeTheOneIn7F4A() {
    EcKeyPair other = T1.derivedKey("other_vehicle");
    EndpointCreationData otherKey = withVehicle(T1.VEHICLE_IDENTIFIER, other.publicBytes());
    CccException e = failure(T1.bytes("cert.K"), Optional.empty(), otherKey);
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertTrue(e.getMessage().startsWith("K public key 049E239ACA"), e.getMessage());
    assertTrue(e.getMessage().contains(" differs from 7F4A.82 " + Hex.encode(other.publicBytes())));
  }

  private static CccCertificateBuilder intermediateBuilder() {
    return CccCertificateBuilder.vehicleIntermediateCa(
            VEHICLE_OEM_CA, "DKRIG Vehicle Intermediate CA", INTERMEDIATE_KEY.publicBytes())
        .serialNumber(new BigInteger("1000000000000004", 16))
        .validity(T1.CA_NOT_BEFORE, T1.CA_NOT_AFTER);
  }

  private static CccCertificateBuilder kUnder(CccCertificate intermediate) {
    return CccCertificateBuilder.vehicle(
            intermediate, T1.VEHICLE_IDENTIFIER, T1.VEHICLE_KEY.publicBytes())
        .serialNumber(new BigInteger("1000000000000005", 16))
        .validity(T1.CA_NOT_BEFORE, T1.CA_NOT_AFTER);
  }

  private static EndpointCreationData withVehicle(byte[] identifier, byte[] publicKey) {
    EndpointCreationData t1 = T1.creationData();
    return EndpointCreationData.defaults(identifier, t1.protocolVersion(), publicKey);
  }

  private static CccException failure(
      byte[] k, Optional<byte[]> intermediate, EndpointCreationData sent) {
    return assertThrows(
        CccException.class, () -> CHECK.verify(k, intermediate, sent, T1.DEVICE_CLOCK));
  }

  private static void assertRule(byte[] k, Optional<byte[]> intermediate, String message) {
    CccException e = failure(k, intermediate, T1.creationData());
    assertEquals(CccException.Failure.VERIFICATION, e.failure());
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
