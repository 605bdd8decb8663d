package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** §8.3 parsing of the T1 certificates (§17.4.3), and strict rejection of what is not DER v3. */
class CccCertificateTest {
  private static final String ECDSA_WITH_SHA256 = "300A06082A8648CE3D040302";
  private static final String SKI = "2.5.29.14";
  private static final String AKI = "2.5.29.35";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";

  @Test
  void parsesEndpointCertificateH() {
    byte[] der = T1.bytes("cert.H_Endpoint");
    CccCertificate h = CccCertificate.parse(der);

    assertArrayEquals(der, h.encoded());
    assertEquals(3, h.version());
    assertEquals("010C8D4E37D6165C", Hex.encode(h.serialNumber().toByteArray()));
    assertEquals(ECDSA_WITH_SHA256, Hex.encode(h.tbsSignatureAlgorithm()));
    assertEquals(ECDSA_WITH_SHA256, Hex.encode(h.signatureAlgorithm()));
    assertArrayEquals(CccCertificate.parse(T1.bytes("cert.E_InstanceCA")).subject(), h.issuer());
    assertEquals(Optional.of(T1.vector("DK_identifier")), h.subjectCommonName());
    assertEquals(Instant.parse("2026-11-27T12:00:00Z"), h.notBefore());
    assertEquals(Instant.parse("9999-12-31T23:59:59Z"), h.notAfter());
    assertEquals("1.2.840.10045.2.1", h.publicKeyAlgorithm());
    assertEquals(Optional.of("1.2.840.10045.3.1.7"), h.publicKeyCurve());
    assertEquals(T1.vector("key.endpoint.PK"), Hex.encode(h.publicKey()));
    assertEquals(
        "3059301306072A8648CE3D020106082A8648CE3D03010703420004744006C4",
        Hex.encode(h.subjectPublicKeyInfo()).substring(0, 62));
    assertEquals(
        "97BF746E0EC8D1145C132F58FA7BA773F0A315FDA09D9C64BE9CDC2BCF986BC6"
            + "ECE9328128B25BAF3DB2A1EF73BF40C614E098AFDA3E02675415BFD193309AA9",
        Hex.encode(h.signature()));

    List<CertificateExtension> extensions = h.extensions();
    assertEquals(
        List.of("1.3.6.1.4.1.41577.5.4", KEY_USAGE, BASIC_CONSTRAINTS, AKI, SKI),
        extensions.stream().map(CertificateExtension::oid).toList());
    assertEquals(
        List.of(true, true, true, false, false),
        extensions.stream().map(CertificateExtension::critical).toList());
    assertEquals(T1.vector("H.ext_41577_5_4"), Hex.encode(extensions.get(0).value()));
    assertEquals("03020780", Hex.encode(extensions.get(1).value()));
    assertEquals("3000", Hex.encode(extensions.get(2).value()));
    assertEquals(
        "301680141CAA3BD548ACBD4BEAE52718853D6E75F945C855", Hex.encode(extensions.get(3).value()));
    assertEquals("0414" + T1.vector("DK_identifier"), Hex.encode(extensions.get(4).value()));
  }

  @Test
  void tbsCertificateIsTheExactSignedSlice() {
    byte[] der = T1.bytes("cert.K");
    CccCertificate k = CccCertificate.parse(der);
    // 30 82 01A7 | 30 82 014E ...: the TBSCertificate starts at offset 4 and is 4 + 0x14E long.
    assertArrayEquals(Bytes.range(der, 4, 4 + 4 + 0x14E), k.tbsCertificate());
  }

  @Test
  void parsesVehicleCertificateK() {
    CccCertificate k = CccCertificate.parse(T1.bytes("cert.K"));
    assertEquals(Optional.of("444B524947563031"), k.subjectCommonName());
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), k.notBefore());
    assertEquals(Instant.parse("2046-01-01T00:00:00Z"), k.notAfter());
    assertEquals("1000000000000002", Hex.encode(k.serialNumber().toByteArray()));
    assertEquals(T1.vector("key.vehicle.PK"), Hex.encode(k.publicKey()));
    assertEquals(1, k.extensions("1.3.6.1.4.1.41577.5.1").size());
    assertEquals("3003020101", Hex.encode(k.extensions("1.3.6.1.4.1.41577.5.1").get(0).value()));
  }

  @Test
  void parsesSelfSignedVehicleOemCaWithoutAki() {
    CccCertificate root = CccCertificate.parse(T1.bytes("cert.VehicleOemCA"));
    assertArrayEquals(root.subject(), root.issuer());
    assertEquals(Optional.of("DKRIG Vehicle OEM CA"), root.subjectCommonName());
    assertEquals(4, root.extensions().size());
    assertTrue(root.extensions(AKI).isEmpty());
    assertEquals("3003020101", Hex.encode(root.extensions("1.3.6.1.4.1.41577.5.9").get(0).value()));
  }

  @Test
  void parsesInstanceCaE() {
    CccCertificate e = CccCertificate.parse(T1.bytes("cert.E_InstanceCA"));
    assertEquals(Optional.of("DKRIG Instance CA"), e.subjectCommonName());
    assertEquals(
        "3009020101040400000101", Hex.encode(e.extensions("1.3.6.1.4.1.41577.5.3").get(0).value()));
    assertEquals("30060101FF020100", Hex.encode(e.extensions(BASIC_CONSTRAINTS).get(0).value()));
    assertEquals("03020204", Hex.encode(e.extensions(KEY_USAGE).get(0).value()));
  }

  @Test
  void accessorsReturnCopies() {
    CccCertificate h = T1.endpoint();
    h.encoded()[0] = 0;
    h.publicKey()[0] = 0;
    assertEquals(T1.vector("cert.H_Endpoint"), Hex.encode(h.encoded()));
    assertEquals(0x04, h.publicKey()[0]);
    assertEquals(T1.endpoint(), h);
  }

  @Test
  void rejectsIndefiniteLength() {
    assertMalformed(Asn1Edits.withIndefiniteLength(T1.bytes("cert.K")), "not DER");
  }

  @Test
  void rejectsNonMinimalLength() {
    assertMalformed(Asn1Edits.withLongFormLength(T1.bytes("cert.K")), "not DER");
  }

  @Test
  void rejectsTrailingBytesAndTruncation() {
    byte[] der = T1.bytes("cert.K");
    assertMalformed(Bytes.concat(der, Bytes.of(0x00)), "certificate");
    assertMalformed(Bytes.range(der, 0, der.length - 1), "certificate");
    assertMalformed(new byte[0], "certificate");
    assertMalformed(Hex.decode("3000"), "Certificate has 0 elements");
  }

  @Test
  void rejectsVersion2() {
    byte[] tbs = T1.vehicleBuilder().tbsCertificate();
    byte[] der =
        Asn1Edits.signTbs(Asn1Edits.replaceOnce(tbs, "A003020102", "A003020101"), T1.VEHICLE_KEY);
    assertMalformed(der, "is not v3");
  }

  @Test
  void rejectsVersion1WithoutVersionField() {
    byte[] tbs =
        Asn1Edits.editElements(
            T1.vehicleBuilder().tbsCertificate(),
            elements -> {
              elements.remove(0);
              return elements;
            });
    assertMalformed(Asn1Edits.signTbs(tbs, T1.VEHICLE_KEY), "version field absent");
  }

  @Test
  void rejectsExplicitCriticalFalse() {
    // The SKI rewritten as 30 20 06 03 551D0E 01 01 00 04 16 ...: DER must omit DEFAULT FALSE.
    byte[] tbs =
        Asn1Edits.editElements(
            T1.vehicleBuilder().tbsCertificate(),
            elements -> {
              byte[] extensionList = Asn1Edits.contents(elements.get(7));
              byte[] edited =
                  Asn1Edits.editElements(
                      extensionList,
                      list -> {
                        int last = list.size() - 1;
                        byte[] ski = list.get(last);
                        list.set(
                            last,
                            Der.wrap(
                                0x30,
                                Hex.decode("0603551D0E010100"),
                                Bytes.range(ski, 7, ski.length)));
                        return list;
                      });
              elements.set(7, Der.wrap(0xA3, edited));
              return elements;
            });
    assertMalformed(Asn1Edits.signTbs(tbs, T1.VEHICLE_KEY), "critical FALSE");
  }

  @Test
  void rejectsNonCanonicalBooleanTrue() {
    byte[] der = T1.bytes("cert.K");
    byte[] tbs = CccCertificate.parse(der).tbsCertificate();
    byte[] edited = Asn1Edits.replaceOnce(tbs, "0603551D0F0101FF", "0603551D0F010101");
    assertMalformed(Asn1Edits.signTbs(edited, T1.VEHICLE_KEY), "not DER");
  }

  @Test
  void rejectsValidityTimesOutsideTheProfileForms() {
    byte[] tbs = T1.vehicleBuilder().tbsCertificate();
    // UTCTime without seconds: not YYMMDDHHMMSSZ (§8.3); Bouncy Castle itself already refuses it.
    assertMalformed(
        withValidity(tbs, "170B323630313031303030305A", "170B343630313031303030305A"), "UTCTime");
    // GeneralizedTime with a fraction is DER but not YYYYMMDDHHMMSSZ.
    assertMalformed(
        withValidity(
            tbs, "170D3236303130313030303030305A", "181132303436303130313030303030302E355A"),
        "is not YYYYMMDDHHMMSSZ");
    // 30 February: Bouncy Castle refuses it while parsing, before the calendar check.
    assertMalformed(
        withValidity(tbs, "170D3236303130313030303030305A", "180F32303436303233303030303030305A"),
        "GeneralizedTime");
  }

  private static byte[] withValidity(byte[] tbs, String notBefore, String notAfter) {
    byte[] edited =
        Asn1Edits.editElements(
            tbs,
            elements -> {
              elements.set(4, Der.wrap(0x30, Hex.decode(notBefore), Hex.decode(notAfter)));
              return elements;
            });
    return Asn1Edits.signTbs(edited, T1.VEHICLE_KEY);
  }

  @Test
  void rejectsSignatureBitStringWithUnusedBits() {
    byte[] der = T1.bytes("cert.K");
    String hex = Hex.encode(der);
    int at = hex.lastIndexOf("03470030");
    byte[] edited = Hex.decode(hex.substring(0, at) + "03470130" + hex.substring(at + 8));
    assertMalformed(edited, "signatureValue");
  }

  @Test
  void rejectsEmptyExtensions() {
    byte[] tbs =
        Asn1Edits.editElements(
            T1.vehicleBuilder().tbsCertificate(),
            elements -> {
              elements.set(7, Hex.decode("A3023000"));
              return elements;
            });
    assertMalformed(Asn1Edits.signTbs(tbs, T1.VEHICLE_KEY), "empty extensions");
  }

  private static void assertMalformed(byte[] der, String fragment) {
    CccException e = assertThrows(CccException.class, () -> CccCertificate.parse(der));
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
