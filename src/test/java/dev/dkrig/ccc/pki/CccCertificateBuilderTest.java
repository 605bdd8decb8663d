package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §8.3/§8.4 certificate building; §17.4.3: the five T1 certificates, byte for byte. */
class CccCertificateBuilderTest {

  @Test
  void vehicleOemCaMatchesT1() {
    assertEquals(T1.vector("cert.VehicleOemCA"), Hex.encode(T1.vehicleOemCa().encoded()));
  }

  @Test
  void vehicleCertificateKMatchesT1() {
    assertEquals(T1.vector("cert.K"), Hex.encode(T1.vehicle().encoded()));
  }

  @Test
  void deviceOemCaFMatchesT1() {
    assertEquals(T1.vector("cert.F_DeviceOemCA"), Hex.encode(T1.deviceOemCa().encoded()));
  }

  @Test
  void instanceCaEMatchesT1() {
    assertEquals(T1.vector("cert.E_InstanceCA"), Hex.encode(T1.instanceCa().encoded()));
  }

  @Test
  void endpointHMatchesT1() {
    assertEquals(T1.vector("cert.H_Endpoint"), Hex.encode(T1.endpoint().encoded()));
  }

  @Test
  void t1SizesMatchSection17() {
    assertEquals(401, T1.vehicleOemCa().encoded().length);
    assertEquals(427, T1.vehicle().encoded().length);
    assertEquals(435, T1.deviceOemCa().encoded().length);
    assertEquals(441, T1.instanceCa().encoded().length);
    assertEquals(591, T1.endpoint().encoded().length);
  }

  @Test
  void t1KeysFollowTheDerivationRecipe() {
    for (String label :
        List.of("vehicle_oem_ca", "vehicle", "device_oem_ca", "instance_ca", "endpoint")) {
      assertEquals(
          T1.vector("key." + label + ".SK"),
          Hex.encode(dev.dkrig.ccc.P256.encodeScalar(T1.derivedKey(label).privateKey())),
          label);
    }
  }

  @Test
  void endpointNotBeforeIsWholeSecondsAndNotAfterIsGeneralizedTime() {
    CccCertificate h =
        CccCertificateBuilder.endpoint(
                T1.instanceCa(),
                T1.ENDPOINT_KEY.publicBytes(),
                T1.creationData(),
                Instant.parse("2026-11-27T12:00:00.987Z"))
            .sign(T1.INSTANCE_CA_KEY);
    assertEquals(T1.endpoint(), h);
    assertTrue(Hex.encode(h.encoded()).contains("170D3236313132373132303030305A"));
    assertTrue(Hex.encode(h.encoded()).contains("180F39393939313233313233353935395A"));
  }

  @Test
  void validityUsesUtcTimeBefore2050AndGeneralizedTimeFrom2050() {
    byte[] tbs =
        T1.deviceOemCaBuilder()
            .validity(Instant.parse("2049-12-31T23:59:59Z"), Instant.parse("2050-01-01T00:00:00Z"))
            .tbsCertificate();
    assertTrue(
        Hex.encode(tbs)
            .contains("3020170D3439313233313233353935395A180F32303530303130313030303030305A"));
  }

  @Test
  void vehicleIntermediateCaHasExtension58AndPathLengthZero() {
    EcKeyPair key = T1.derivedKey("vehicle_intermediate_ca");
    CccCertificate intermediate =
        CccCertificateBuilder.vehicleIntermediateCa(
                T1.vehicleOemCa(), "DKRIG Vehicle Intermediate CA", key.publicBytes())
            .serialNumber(BigInteger.valueOf(0x1000000000000004L))
            .validity(T1.CA_NOT_BEFORE, T1.CA_NOT_AFTER)
            .sign(T1.VEHICLE_OEM_CA_KEY);
    List<CertificateExtension> extensions = intermediate.extensions();
    assertEquals("1.3.6.1.4.1.41577.5.8", extensions.get(0).oid());
    assertEquals("3003020101", Hex.encode(extensions.get(0).value()));
    assertEquals("03020204", Hex.encode(extensions.get(1).value()));
    assertEquals("30060101FF020100", Hex.encode(extensions.get(2).value()));
    assertEquals(5, extensions.size());
  }

  @Test
  void editsApplyInOrderAndUnsetFieldsAreReported() {
    List<CertificateExtension> edited =
        T1.deviceOemCaBuilder()
            .editExtensions(Asn1Edits.removing("2.5.29.14"))
            .editExtensions(Asn1Edits.duplicating("2.5.29.15"))
            .extensions();
    assertEquals(5, edited.size());
    assertEquals("2.5.29.15", edited.get(4).oid());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> CccCertificateBuilder.of(CertificateType.DEVICE_OEM_CA).tbsCertificate());
    assertTrue(e.getMessage().contains("not set"));
  }
}
