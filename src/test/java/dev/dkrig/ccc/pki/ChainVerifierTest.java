package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §8.5 chain verification (P2.6.1) and §18.19 trust anchors. Every negative case re-signs a mutated
 * certificate with the right issuer key, so only the rule under test can fail.
 */
class ChainVerifierTest {
  private static final String ECDSA_WITH_SHA256 = "300A06082A8648CE3D040302";
  private static final String ECDSA_WITH_SHA384 = "300A06082A8648CE3D040303";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String AKI = "2.5.29.35";
  private static final String SKI = "2.5.29.14";
  private static final EcKeyPair INTRUDER = T1.derivedKey("intruder");

  /** §8.5 rule 5: F .5.2, E .5.3, H .5.4. */
  private static final Map<Position, String> CONTRACT_EXTENSION_NAMES =
      Map.of(Position.F, ".5.2", Position.E, ".5.3", Position.H, ".5.4");

  private static final CccCertificate VEHICLE_OEM_CA =
      CccCertificate.parse(T1.bytes("cert.VehicleOemCA"));
  private static final ChainVerifier VERIFIER =
      new ChainVerifier(List.of(TrustAnchor.of(VEHICLE_OEM_CA)));

  /** {@code pki.checkValidity = false}. */
  private static final ChainVerifier VERIFIER_WITHOUT_VALIDITY =
      new ChainVerifier(List.of(TrustAnchor.of(VEHICLE_OEM_CA)), false);

  /** The three certificates the vehicle verifies, with their T1 issuers. */
  enum Position {
    F(CertificateType.DEVICE_OEM_CA, "the trust anchor", "cert.F_DeviceOemCA"),
    E(CertificateType.INSTANCE_CA, "F", "cert.E_InstanceCA"),
    H(CertificateType.ENDPOINT, "E", "cert.H_Endpoint");

    final CertificateType type;
    final String issuerName;
    final String vector;

    Position(CertificateType type, String issuerName, String vector) {
      this.type = type;
      this.issuerName = issuerName;
      this.vector = vector;
    }

    CccCertificateBuilder builder() {
      return switch (this) {
        case F -> T1.deviceOemCaBuilder();
        case E -> T1.instanceCaBuilder();
        case H -> T1.endpointBuilder();
      };
    }

    EcKeyPair issuerKey() {
      return switch (this) {
        case F -> T1.VEHICLE_OEM_CA_KEY;
        case E -> T1.DEVICE_OEM_CA_KEY;
        case H -> T1.INSTANCE_CA_KEY;
      };
    }

    CccCertificate issuer() {
      return switch (this) {
        case F -> VEHICLE_OEM_CA;
        case E -> CccCertificate.parse(T1.bytes("cert.F_DeviceOemCA"));
        case H -> CccCertificate.parse(T1.bytes("cert.E_InstanceCA"));
      };
    }

    byte[] signed(UnaryOperator<CccCertificateBuilder> change) {
      return change.apply(builder()).signEncoded(issuerKey());
    }
  }

  @Test
  void t1ChainVerifiesAtTheVehicleClock() {
    VerifiedChain chain =
        VERIFIER.verify(
            T1.bytes("cert.F_DeviceOemCA"),
            T1.bytes("cert.E_InstanceCA"),
            T1.bytes("cert.H_Endpoint"),
            T1.VEHICLE_CLOCK);
    assertEquals(T1.vector("cert.H_Endpoint"), Hex.encode(chain.endpoint().encoded()));
    assertEquals(T1.vector("key.endpoint.PK"), Hex.encode(chain.endpointPublicKey()));
    assertEquals(T1.vector("DK_identifier"), chain.endpointKeyIdentifier().hex());
    assertSame(VERIFIER.trustAnchors().get(0), chain.trustAnchor());
    assertTrue(VERIFIER.checksValidity());
  }

  @Test
  void validityBoundariesAreInclusive() {
    // H's notBefore is the creation time, 2026-11-27T12:00:00Z (§17.4.1).
    verify(Position.H, T1.bytes("cert.H_Endpoint"), Instant.parse("2026-11-27T12:00:00Z"));
    verify(Position.F, T1.bytes("cert.F_DeviceOemCA"), Instant.parse("2046-01-01T00:00:00Z"));
  }

  @Test
  void messageNamesCertificateAndRuleOnOneLine() {
    byte[] e = Position.E.signed(b -> b.issuerName(Der.commonName("DKRIG Somebody")));
    CccException failure = failure(Position.E, e, T1.VEHICLE_CLOCK);
    assertEquals(
        "E (Instance CA): issuer name does not match F's subject (§8.5 rule 3)",
        failure.getMessage());
  }

  // §8.5 rule 1: DER, v3, both algorithm identifiers ecdsa-with-SHA256.

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsNonMinimalLength(Position position) {
    byte[] tbs = Asn1Edits.withLongFormLength(position.builder().tbsCertificate());
    assertRule(position, Asn1Edits.signTbs(tbs, position.issuerKey()), 1, "not DER");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsIndefiniteLength(Position position) {
    byte[] der = Asn1Edits.withIndefiniteLength(T1.bytes(position.vector));
    assertRule(position, der, 1, "not DER");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsVersion2(Position position) {
    byte[] tbs =
        Asn1Edits.replaceOnce(position.builder().tbsCertificate(), "A003020102", "A003020101");
    assertRule(position, Asn1Edits.signTbs(tbs, position.issuerKey()), 1, "not v3");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsOtherTbsSignatureAlgorithm(Position position) {
    byte[] der =
        position.signed(
            b ->
                b.algorithmIdentifiers(
                    Hex.decode(ECDSA_WITH_SHA384), Hex.decode(ECDSA_WITH_SHA256)));
    assertRule(position, der, 1, "TBSCertificate signature algorithm " + ECDSA_WITH_SHA384);
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsOtherOuterSignatureAlgorithm(Position position) {
    byte[] der =
        position.signed(
            b ->
                b.algorithmIdentifiers(
                    Hex.decode(ECDSA_WITH_SHA256), Hex.decode(ECDSA_WITH_SHA384)));
    assertRule(position, der, 1, "signatureAlgorithm " + ECDSA_WITH_SHA384);
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule1RejectsAlgorithmWithNullParameters(Position position) {
    byte[] withNull = Hex.decode("300C06082A8648CE3D0403020500");
    byte[] der = position.signed(b -> b.algorithmIdentifiers(withNull, withNull));
    assertRule(position, der, 1, "is not ecdsa-with-SHA256");
  }

  // §8.5 rule 2: the signature over the exact TBSCertificate with the issuer's key.

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule2RejectsSignatureByAnotherKey(Position position) {
    byte[] der = position.builder().signEncoded(INTRUDER);
    assertRule(
        position, der, 2, "signature does not verify with " + position.issuerName + "'s key");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule2RejectsBytesChangedAfterSigning(Position position) {
    byte[] der = T1.bytes(position.vector);
    CccCertificate original = CccCertificate.parse(der);
    String ski = Hex.encode(original.extensions(SKI).get(0).value());
    String changed = ski.substring(0, ski.length() - 1) + (ski.endsWith("0") ? "1" : "0");
    assertRule(position, Asn1Edits.replaceOnce(der, ski, changed), 2, "signature does not verify");
  }

  // §8.5 rule 3: issuer Name bytes = the issuer's subject bytes.

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule3RejectsOtherIssuerName(Position position) {
    byte[] der = position.signed(b -> b.issuerName(Der.commonName("DKRIG Somebody Else")));
    assertRule(
        position, der, 3, "issuer name does not match " + position.issuerName + "'s subject");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule3ComparesBytesNotText(Position position) {
    String text = position.issuer().subjectCommonName().orElseThrow();
    AttributeTypeAndValue printable =
        new AttributeTypeAndValue(BCStyle.CN, new DERPrintableString(text));
    byte[] sameTextOtherType = Der.encode(new DERSequence(new DERSet(printable)));
    byte[] der = position.signed(b -> b.issuerName(sameTextOtherType));
    assertRule(position, der, 3, "issuer name does not match");
  }

  // §8.5 rule 4: id-ecPublicKey + prime256v1, and a point that passes §5.3.

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule4RejectsPointNotOnTheCurve(Position position) {
    byte[] point = position.builder().sign(position.issuerKey()).publicKey();
    point[64] ^= 0x01;
    byte[] der = position.signed(b -> b.subjectPublicKeyInfo(Der.subjectPublicKeyInfo(point)));
    assertRule(position, der, 4, "not on the curve");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule4RejectsCompressedPoint(Position position) {
    byte[] point = position.builder().sign(position.issuerKey()).publicKey();
    byte[] compressed = new byte[33];
    System.arraycopy(point, 0, compressed, 0, 33);
    compressed[0] = (byte) (0x02 + (point[64] & 1));
    byte[] der = position.signed(b -> b.subjectPublicKeyInfo(Der.subjectPublicKeyInfo(compressed)));
    assertRule(position, der, 4, "length 33");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule4RejectsOtherCurve(Position position) {
    byte[] spki =
        Asn1Edits.replaceOnce(
            Der.subjectPublicKeyInfo(position.builder().sign(position.issuerKey()).publicKey()),
            "06082A8648CE3D030107",
            "06082A8648CE3D030106");
    byte[] der = position.signed(b -> b.subjectPublicKeyInfo(spki));
    assertRule(position, der, 4, "curve 1.2.840.10045.3.1.6 is not prime256v1");
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule4RejectsOtherKeyAlgorithm(Position position) {
    byte[] spki =
        Asn1Edits.replaceOnce(
            Der.subjectPublicKeyInfo(position.builder().sign(position.issuerKey()).publicKey()),
            "06072A8648CE3D0201",
            "06072A8648CE3D0202");
    byte[] der = position.signed(b -> b.subjectPublicKeyInfo(spki));
    assertRule(position, der, 4, "algorithm 1.2.840.10045.2.2 is not id-ecPublicKey");
  }

  // §8.5 rule 5: extensions.

  static Stream<Arguments> rule5Cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Position p : Position.values()) {
      String ccc = p.type.cccExtensionOid();
      String cccName = "CCC extension " + CONTRACT_EXTENSION_NAMES.get(p);
      boolean ca = p.type.isCertificateAuthority();
      CertificateType opposite = ca ? CertificateType.ENDPOINT : CertificateType.DEVICE_OEM_CA;
      cases.add(edit(p, "CCC extension missing", Asn1Edits.removing(ccc), cccName + " missing"));
      cases.add(
          edit(p, "CCC extension twice", Asn1Edits.duplicating(ccc), cccName + " present 2 times"));
      cases.add(
          edit(
              p,
              "CCC extension non-critical",
              Asn1Edits.replacing(ccc, e -> e.withCritical(false)),
              cccName + " is not critical"));
      cases.add(
          Arguments.of(
              p,
              "CCC extension undecodable",
              (UnaryOperator<CccCertificateBuilder>)
                  b -> b.cccExtensionValue(Hex.decode("3003020102")),
              cccName + " does not decode"));
      cases.add(
          edit(
              p,
              "another type's CCC extension",
              Asn1Edits.replacing(
                  ccc, e -> CertificateExtension.critical(opposite.cccExtensionOid(), e.value())),
              cccName + " missing"));
      cases.add(edit(p, "keyUsage missing", Asn1Edits.removing(KEY_USAGE), "keyUsage missing"));
      cases.add(
          edit(
              p,
              "keyUsage non-critical",
              Asn1Edits.replacing(KEY_USAGE, e -> e.withCritical(false)),
              "keyUsage is not critical"));
      cases.add(
          edit(
              p,
              "keyUsage of the other kind",
              Asn1Edits.replacing(
                  KEY_USAGE,
                  e ->
                      CertificateExtension.critical(
                          KEY_USAGE, CccCertificateBuilder.keyUsage(opposite))),
              "lacks " + (ca ? "keyCertSign" : "digitalSignature")));
      cases.add(
          edit(p, "keyUsage twice", Asn1Edits.duplicating(KEY_USAGE), "keyUsage present 2 times"));
      cases.add(
          edit(
              p,
              "keyUsage not a BIT STRING",
              Asn1Edits.replacing(
                  KEY_USAGE, e -> CertificateExtension.critical(KEY_USAGE, Hex.decode("0400"))),
              "keyUsage is not a BIT STRING"));
      cases.add(
          edit(
              p,
              "basicConstraints missing",
              Asn1Edits.removing(BASIC_CONSTRAINTS),
              "basicConstraints missing"));
      cases.add(
          edit(
              p,
              "basicConstraints non-critical",
              Asn1Edits.replacing(BASIC_CONSTRAINTS, e -> e.withCritical(false)),
              "basicConstraints is not critical"));
      cases.add(
          edit(
              p,
              "cA flag wrong",
              Asn1Edits.replacing(
                  BASIC_CONSTRAINTS,
                  e ->
                      CertificateExtension.critical(
                          BASIC_CONSTRAINTS, CccCertificateBuilder.basicConstraints(opposite))),
              "basicConstraints cA is " + (ca ? "FALSE, expected TRUE" : "TRUE, expected FALSE")));
      cases.add(
          edit(
              p,
              "cA FALSE written out",
              Asn1Edits.replacing(
                  BASIC_CONSTRAINTS,
                  e -> CertificateExtension.critical(BASIC_CONSTRAINTS, Hex.decode("3003010100"))),
              "not DER (cA FALSE encoded)"));
      cases.add(edit(p, "AKI missing", Asn1Edits.removing(AKI), "authorityKeyIdentifier missing"));
      cases.add(
          edit(
              p,
              "AKI of another key",
              Asn1Edits.replacing(
                  AKI,
                  e ->
                      CertificateExtension.nonCritical(
                          AKI,
                          CccCertificateBuilder.authorityKeyIdentifier(INTRUDER.publicBytes()))),
              "is not SHA-1 of " + p.issuerName + "'s key"));
      cases.add(edit(p, "SKI missing", Asn1Edits.removing(SKI), "subjectKeyIdentifier missing"));
      cases.add(
          edit(
              p,
              "SKI of another key",
              Asn1Edits.replacing(
                  SKI,
                  e ->
                      CertificateExtension.nonCritical(
                          SKI, Hex.decode("0414" + Hex.encode(Crypto.sha1(new byte[1]))))),
              "is not SHA-1 of its own key"));
      cases.add(
          edit(
              p,
              "unknown critical extension",
              Asn1Edits.adding(CertificateExtension.critical("1.2.3.4", Hex.decode("0500"))),
              "unknown critical extension 1.2.3.4"));
      cases.add(
          edit(
              p,
              "critical certificatePolicies",
              Asn1Edits.adding(
                  CertificateExtension.critical("2.5.29.32", Hex.decode("300830060604551D2000"))),
              "unknown critical extension 2.5.29.32"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rule5Cases")
  void rule5RejectsExtensionDeviations(
      Position position,
      String description,
      UnaryOperator<CccCertificateBuilder> change,
      String fragment) {
    assertRule(position, position.signed(change), 5, fragment);
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule5ToleratesExtraKeyUsageBitsAndUnknownNonCriticalExtensions(Position position) {
    // §18.15: other keyUsage bits are tolerated. CA: keyCertSign + cRLSign; EE: + keyAgreement.
    String keyUsage = position.type.isCertificateAuthority() ? "03020106" : "03020388";
    byte[] der =
        position.signed(
            b ->
                b.editExtensions(
                        Asn1Edits.replacing(
                            KEY_USAGE,
                            e -> CertificateExtension.critical(KEY_USAGE, Hex.decode(keyUsage))))
                    .editExtensions(
                        Asn1Edits.adding(
                            CertificateExtension.nonCritical("1.2.3.4", Hex.decode("0500")))));
    verify(position, der, T1.VEHICLE_CLOCK);
  }

  @Test
  void rule5RejectsInstanceCaAppletVersionOfWrongSize() {
    byte[] der = Position.E.signed(b -> b.cccExtensionValue(Hex.decode("30080201010403000101")));
    assertRule(Position.E, der, 5, "applet_version is not an OCTET STRING of 4 bytes");
  }

  @Test
  void rule5RejectsEndpointExtensionWithWrongFieldSize() {
    String value = T1.vector("H.ext_41577_5_4");
    String edited =
        value.replace("3081880201010408444B524947563031", "3081870201010407444B5249475630");
    byte[] der = Position.H.signed(b -> b.cccExtensionValue(Hex.decode(edited)));
    assertRule(Position.H, der, 5, "vehicle_identifier has 7 bytes");
  }

  // §8.5 rule 6: notBefore ≤ now ≤ notAfter, unless pki.checkValidity is off.

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule6RejectsExpiredCertificate(Position position) {
    byte[] der =
        position.signed(
            b ->
                b.validity(
                    Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2026-11-27T12:00:59Z")));
    assertRule(position, der, 6, "expired: notAfter 2026-11-27T12:00:59Z is before now");
    byte[][] chain = chainWith(position, der);
    VERIFIER_WITHOUT_VALIDITY.verify(chain[0], chain[1], chain[2], T1.VEHICLE_CLOCK);
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void rule6RejectsCertificateNotYetValid(Position position) {
    byte[] der =
        position.signed(
            b ->
                b.validity(
                    Instant.parse("2026-11-27T12:01:01Z"), Instant.parse("2046-01-01T00:00:00Z")));
    assertRule(position, der, 6, "not yet valid: notBefore 2026-11-27T12:01:01Z is after now");
    byte[][] chain = chainWith(position, der);
    VERIFIER_WITHOUT_VALIDITY.verify(chain[0], chain[1], chain[2], T1.VEHICLE_CLOCK);
  }

  // §18.19 trust anchors.

  @Test
  void deviceOemCaTrustedAsAnAnchorItself() {
    CccCertificate f = CccCertificate.parse(T1.bytes("cert.F_DeviceOemCA"));
    ChainVerifier verifier = new ChainVerifier(List.of(TrustAnchor.of(f)));
    VerifiedChain chain =
        verifier.verify(
            f.encoded(),
            T1.bytes("cert.E_InstanceCA"),
            T1.bytes("cert.H_Endpoint"),
            T1.VEHICLE_CLOCK);
    assertEquals(f, chain.trustAnchor().certificate().orElseThrow());
  }

  @Test
  void deviceOemCaAsAnchorIsTrustedEvenIfItWouldFailTheRules() {
    // A lab's own root, self-signed and without .5.2: trusted as it stands (§18.19).
    EcKeyPair key = T1.DEVICE_OEM_CA_KEY;
    CccCertificate selfSigned =
        CccCertificateBuilder.vehicleOemCa("DKRIG Device OEM CA", key.publicBytes())
            .serialNumber(BigInteger.TEN)
            .validity(T1.CA_NOT_BEFORE, T1.CA_NOT_AFTER)
            .sign(key);
    ChainVerifier verifier = new ChainVerifier(List.of(TrustAnchor.of(selfSigned)));
    verifier.verify(
        selfSigned.encoded(),
        T1.bytes("cert.E_InstanceCA"),
        T1.bytes("cert.H_Endpoint"),
        T1.VEHICLE_CLOCK);
  }

  @Test
  void unrelatedAnchorFails() {
    EcKeyPair other = T1.derivedKey("other_oem_ca");
    TrustAnchor unrelated = TrustAnchor.of(Der.commonName("Other OEM CA"), other.publicBytes());
    CccException e =
        assertThrows(
            CccException.class,
            () ->
                new ChainVerifier(List.of(unrelated))
                    .verify(
                        T1.bytes("cert.F_DeviceOemCA"),
                        T1.bytes("cert.E_InstanceCA"),
                        T1.bytes("cert.H_Endpoint"),
                        T1.VEHICLE_CLOCK));
    assertEquals(CccException.Failure.VERIFICATION, e.failure());
    assertEquals(
        "F (Device OEM CA): signature does not verify with the trust anchor's key (§8.5 rule 2)",
        e.getMessage());
  }

  @Test
  void secondAnchorWorksWhenTheFirstDoesNot() {
    EcKeyPair other = T1.derivedKey("other_oem_ca");
    TrustAnchor unrelated = TrustAnchor.of(Der.commonName("Other OEM CA"), other.publicBytes());
    TrustAnchor keyOnly = TrustAnchor.of(VEHICLE_OEM_CA.subject(), VEHICLE_OEM_CA.publicKey());
    VerifiedChain chain =
        new ChainVerifier(List.of(unrelated, keyOnly))
            .verify(
                T1.bytes("cert.F_DeviceOemCA"),
                T1.bytes("cert.E_InstanceCA"),
                T1.bytes("cert.H_Endpoint"),
                T1.VEHICLE_CLOCK);
    assertSame(keyOnly, chain.trustAnchor());
    assertArrayEquals(VEHICLE_OEM_CA.publicKey(), chain.trustAnchor().publicKey());
  }

  @Test
  void withSeveralAnchorsTheFailureUnderTheNamedIssuerIsReported() {
    EcKeyPair other = T1.derivedKey("other_oem_ca");
    TrustAnchor unrelated = TrustAnchor.of(Der.commonName("Other OEM CA"), other.publicBytes());
    byte[] expiredF =
        Position.F.signed(b -> b.validity(Instant.parse("2020-01-01T00:00:00Z"), T1.CA_NOT_BEFORE));
    CccException e =
        assertThrows(
            CccException.class,
            () ->
                new ChainVerifier(List.of(unrelated, TrustAnchor.of(VEHICLE_OEM_CA)))
                    .verify(
                        expiredF,
                        T1.bytes("cert.E_InstanceCA"),
                        T1.bytes("cert.H_Endpoint"),
                        T1.VEHICLE_CLOCK));
    assertTrue(e.getMessage().startsWith("F (Device OEM CA): expired"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(§8.5 rule 6)"), e.getMessage());
  }

  @Test
  void anchorsAreRequiredAndValidated() {
    assertThrows(IllegalArgumentException.class, () -> new ChainVerifier(List.of()));
    byte[] badPoint = VEHICLE_OEM_CA.publicKey();
    badPoint[64] ^= 1;
    CccException e =
        assertThrows(CccException.class, () -> TrustAnchor.of(VEHICLE_OEM_CA.subject(), badPoint));
    assertEquals(CccException.Failure.INVALID_POINT, e.failure());
  }

  private static Arguments edit(
      Position position,
      String description,
      UnaryOperator<List<CertificateExtension>> edit,
      String fragment) {
    UnaryOperator<CccCertificateBuilder> change = b -> b.editExtensions(edit);
    return Arguments.of(position, description, change, fragment);
  }

  private static byte[][] chainWith(Position position, byte[] der) {
    byte[][] chain = {
      T1.bytes("cert.F_DeviceOemCA"), T1.bytes("cert.E_InstanceCA"), T1.bytes("cert.H_Endpoint")
    };
    chain[position.ordinal()] = der;
    return chain;
  }

  private static VerifiedChain verify(Position position, byte[] der, Instant now) {
    byte[][] chain = chainWith(position, der);
    return VERIFIER.verify(chain[0], chain[1], chain[2], now);
  }

  private static CccException failure(Position position, byte[] der, Instant now) {
    return assertThrows(CccException.class, () -> verify(position, der, now));
  }

  private static void assertRule(Position position, byte[] der, int rule, String fragment) {
    CccException e = failure(position, der, T1.VEHICLE_CLOCK);
    String message = e.getMessage();
    assertEquals(CccException.Failure.VERIFICATION, e.failure(), message);
    assertTrue(message.startsWith(position.type.label() + ": "), message);
    assertTrue(message.endsWith("(§8.5 rule " + rule + ")"), message);
    assertTrue(message.contains(fragment), message);
    assertFalse(message.contains("\n"), message);
  }
}
