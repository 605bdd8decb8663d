package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Tlv;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 9: certificate and CCC-extension parsing and chain verification on untrusted DER (GET DATA
 * 7F20/7F22/7F24 on the vehicle, 7F4B/7F4C on the device). Each either succeeds or refuses with
 * {@link CccException}; the committed inputs in {@code PkiFuzzTestInputs/} start from the T1
 * certificates (§17.4.3).
 */
class PkiFuzzTest {
  private static final CccCertificate VEHICLE_OEM_CA =
      CccCertificate.parse(T1.bytes("cert.VehicleOemCA"));
  private static final List<TrustAnchor> ANCHORS = List.of(TrustAnchor.of(VEHICLE_OEM_CA));
  private static final byte[][] CHAIN = {
    T1.bytes("cert.F_DeviceOemCA"), T1.bytes("cert.E_InstanceCA"), T1.bytes("cert.H_Endpoint")
  };

  /** Parses one certificate and reads everything a check or a report reads from it. */
  @FuzzTest(maxDuration = "30s")
  void certificate(byte[] der) {
    CccCertificate certificate;
    try {
      certificate = CccCertificate.parse(der);
    } catch (CccException refused) {
      return;
    }
    certificate.subjectCommonName();
    certificate.notBefore();
    certificate.notAfter();
    certificate.publicKeyCurve();
    certificate.serialNumber();
    certificate.toString();
    for (CertificateExtension extension : certificate.extensions()) {
      if (extension.oid().equals(DkProfile.CCC_EXTENSION_ARC + ".4")) {
        try {
          EndpointExtension.decode(extension.value()).toCreationData();
        } catch (CccException refused) {
          // A malformed .5.4 is the binding check's FAIL (P2.6.2), not a crash.
        }
      }
    }
    for (CertificateType type : CertificateType.values()) {
      try {
        CertificateChecks.check(
            type,
            CertificateChecks.parse(type, der),
            CertificateChecks.Issuer.of("the trust anchor", ANCHORS.get(0)),
            T1.VEHICLE_CLOCK,
            true);
      } catch (CccException refused) {
        // Expected for everything but a certificate the anchor signed.
      }
    }
  }

  /** Decodes a {@code .5.4} value; what decodes re-encodes to the same DER (strict DER). */
  @FuzzTest(maxDuration = "30s")
  void endpointExtension(byte[] value) {
    EndpointExtension extension;
    try {
      extension = EndpointExtension.decode(value);
    } catch (CccException refused) {
      return;
    }
    assertEquals(extension, EndpointExtension.decode(extension.encode()));
    EndpointCreationData data;
    try {
      data = extension.toCreationData();
    } catch (CccException refused) {
      return;
    }
    data.toString();
  }

  /**
   * Verifies F, E, H (§8.5) with one of them replaced: the first byte picks which (0 F, 1 E, 2 H;
   * other values replace nothing), the rest is the replacement DER. Then the binding (§8.6).
   */
  @FuzzTest(maxDuration = "30s")
  void chain(byte[] input) {
    byte[][] chain = CHAIN.clone();
    if (input.length > 0 && (input[0] & 0xFF) < 3) {
      chain[input[0] & 0xFF] = Arrays.copyOfRange(input, 1, input.length);
    }
    VerifiedChain verified;
    try {
      verified =
          new ChainVerifier(ANCHORS, input.length == 0 || (input[0] & 0x80) == 0)
              .verify(chain[0], chain[1], chain[2], T1.VEHICLE_CLOCK);
    } catch (CccException refused) {
      return;
    }
    verified.endpointPublicKey();
    try {
      Binding.verify(
          verified.endpoint(),
          EndpointCreationData.parse(Tlv.parseAll(T1.bytes("kcd.7F4A")).get(0).value()),
          new DkIdentifier(T1.bytes("DK_identifier")));
    } catch (CccException refused) {
      // A chain that verifies but certifies other creation data: P2.6.2 FAIL.
    }
  }
}
