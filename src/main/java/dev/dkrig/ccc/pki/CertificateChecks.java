package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Hex;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The six rules of §8.5 for one certificate under a known issuer. Shared by the vehicle's chain
 * verification (F, E, H) and the device's check of K (§7.7), which applies the same rules with K's
 * extension and usage. Each failure names the certificate and the rule on one line.
 */
final class CertificateChecks {
  private static final String KEY_USAGE = Extension.keyUsage.getId();
  private static final String BASIC_CONSTRAINTS = Extension.basicConstraints.getId();
  private static final String AUTHORITY_KEY_ID = Extension.authorityKeyIdentifier.getId();
  private static final String SUBJECT_KEY_ID = Extension.subjectKeyIdentifier.getId();

  private CertificateChecks() {}

  /**
   * The issuer of the certificate under check.
   *
   * @param name how messages name it, e.g. {@code F} or {@code the trust anchor}
   * @param subject its subject Name DER
   * @param publicKey its 65-byte point
   * @param point the decoded point
   */
  record Issuer(String name, byte[] subject, byte[] publicKey, ECPoint point) {
    static Issuer of(String name, TrustAnchor anchor) {
      return new Issuer(name, anchor.subject(), anchor.publicKey(), anchor.point());
    }

    static Issuer of(CertificateType type, CccCertificate certificate, ECPoint point) {
      return new Issuer(type.shortName(), certificate.subject(), certificate.publicKey(), point);
    }
  }

  /** §8.5 rule 1, first half: the bytes parse as a DER X.509 v3 certificate. */
  static CccCertificate parse(CertificateType type, byte[] der) {
    try {
      return CccCertificate.parse(der);
    } catch (CccException e) {
      throw new CccException(
          CccException.Failure.VERIFICATION, message(type, 1, e.getMessage()), e);
    }
  }

  /**
   * Rules 1 to 6 in the contract's order, the first failure wins.
   *
   * @return the certificate's validated public point, the issuer key of the next certificate
   */
  static ECPoint check(
      CertificateType type,
      CccCertificate certificate,
      Issuer issuer,
      Instant now,
      boolean checkValidity) {
    checkAlgorithms(type, certificate);
    checkSignature(type, certificate, issuer);
    checkIssuerName(type, certificate, issuer);
    ECPoint point = checkPublicKey(type, certificate);
    checkExtensions(type, certificate, issuer);
    if (checkValidity) {
      checkValidity(type, certificate, now);
    }
    return point;
  }

  /** Rule 1: both algorithm identifiers are ecdsa-with-SHA256, parameters absent (§8.3). */
  private static void checkAlgorithms(CertificateType type, CccCertificate certificate) {
    if (!Arrays.equals(certificate.tbsSignatureAlgorithm(), Der.ECDSA_WITH_SHA256)) {
      throw fail(
          type,
          1,
          "TBSCertificate signature algorithm "
              + Hex.encode(certificate.tbsSignatureAlgorithm())
              + " is not ecdsa-with-SHA256");
    }
    if (!Arrays.equals(certificate.signatureAlgorithm(), Der.ECDSA_WITH_SHA256)) {
      throw fail(
          type,
          1,
          "signatureAlgorithm "
              + Hex.encode(certificate.signatureAlgorithm())
              + " is not ecdsa-with-SHA256");
    }
  }

  /** Rule 2: ECDSA over the exact TBSCertificate bytes with the issuer's key. */
  private static void checkSignature(
      CertificateType type, CccCertificate certificate, Issuer issuer) {
    if (!Ecdsa.verify(issuer.point(), certificate.tbsCertificate(), certificate.signature())) {
      throw fail(type, 2, "signature does not verify with " + issuer.name() + "'s key");
    }
  }

  /** Rule 3: the issuer Name bytes equal the issuer's subject bytes. */
  private static void checkIssuerName(
      CertificateType type, CccCertificate certificate, Issuer issuer) {
    if (!Arrays.equals(certificate.issuer(), issuer.subject())) {
      throw fail(type, 3, "issuer name does not match " + issuer.name() + "'s subject");
    }
  }

  /** Rule 4: id-ecPublicKey on prime256v1, and a point that passes §5.3. */
  private static ECPoint checkPublicKey(CertificateType type, CccCertificate certificate) {
    if (!certificate.publicKeyAlgorithm().equals(Der.ID_EC_PUBLIC_KEY)) {
      throw fail(
          type,
          4,
          "public key algorithm " + certificate.publicKeyAlgorithm() + " is not id-ecPublicKey");
    }
    if (!certificate.publicKeyCurve().map(Der.PRIME256V1::equals).orElse(false)) {
      throw fail(
          type,
          4,
          "public key curve "
              + certificate.publicKeyCurve().orElse("(not a named curve)")
              + " is not prime256v1");
    }
    try {
      return P256.decodePoint(certificate.publicKey());
    } catch (CccException e) {
      throw fail(type, 4, "public key: " + e.getMessage());
    }
  }

  /** Rule 5, in the §8.3 order of the extensions. */
  private static void checkExtensions(
      CertificateType type, CccCertificate certificate, Issuer issuer) {
    String cccOid = type.cccExtensionOid();
    String cccName = "CCC extension .5." + type.cccExtensionNumber();
    CertificateExtension ccc = exactlyOnce(type, certificate, cccOid, cccName);
    requireCritical(type, ccc, cccName);
    try {
      CccExtensionValues.decode(type, ccc.value());
    } catch (CccException e) {
      throw fail(type, 5, cccName + " does not decode: " + e.getMessage());
    }

    CertificateExtension keyUsage = exactlyOnce(type, certificate, KEY_USAGE, "keyUsage");
    requireCritical(type, keyUsage, "keyUsage");
    checkKeyUsage(type, keyUsage.value());

    CertificateExtension constraints =
        exactlyOnce(type, certificate, BASIC_CONSTRAINTS, "basicConstraints");
    requireCritical(type, constraints, "basicConstraints");
    checkBasicConstraints(type, constraints.value());

    CertificateExtension authority =
        exactlyOnce(type, certificate, AUTHORITY_KEY_ID, "authorityKeyIdentifier");
    byte[] expectedAuthority = CccCertificateBuilder.authorityKeyIdentifier(issuer.publicKey());
    if (!Arrays.equals(authority.value(), expectedAuthority)) {
      throw fail(
          type,
          5,
          "authorityKeyIdentifier "
              + Hex.encode(authority.value())
              + " is not SHA-1 of "
              + issuer.name()
              + "'s key");
    }

    CertificateExtension subject =
        exactlyOnce(type, certificate, SUBJECT_KEY_ID, "subjectKeyIdentifier");
    byte[] expectedSubject = CccCertificateBuilder.subjectKeyIdentifier(certificate.publicKey());
    if (!Arrays.equals(subject.value(), expectedSubject)) {
      throw fail(
          type,
          5,
          "subjectKeyIdentifier " + Hex.encode(subject.value()) + " is not SHA-1 of its own key");
    }

    Set<String> known =
        Set.of(cccOid, KEY_USAGE, BASIC_CONSTRAINTS, AUTHORITY_KEY_ID, SUBJECT_KEY_ID);
    for (CertificateExtension extension : certificate.extensions()) {
      if (extension.critical() && !known.contains(extension.oid())) {
        throw fail(type, 5, "unknown critical extension " + extension.oid());
      }
    }
  }

  /** §18.15: the required bit must be set; other bits are tolerated. */
  private static void checkKeyUsage(CertificateType type, byte[] value) {
    ASN1Primitive decoded = decodeExtension(type, value, "keyUsage");
    if (!(decoded instanceof ASN1BitString bits)) {
      throw fail(type, 5, "keyUsage is not a BIT STRING");
    }
    boolean authority = type.isCertificateAuthority();
    int required = authority ? KeyUsage.keyCertSign : KeyUsage.digitalSignature;
    if (!KeyUsage.getInstance(bits).hasUsages(required)) {
      throw fail(
          type,
          5,
          "keyUsage "
              + Hex.encode(value)
              + " lacks "
              + (authority ? "keyCertSign" : "digitalSignature"));
    }
  }

  /** cA TRUE for CAs, FALSE (absent, DER) for end entities; pathLen is not part of rule 5. */
  private static void checkBasicConstraints(CertificateType type, byte[] value) {
    ASN1Primitive decoded = decodeExtension(type, value, "basicConstraints");
    if (!(decoded instanceof ASN1Sequence sequence) || sequence.size() > 2) {
      throw fail(type, 5, "basicConstraints is not SEQUENCE { cA, pathLen }");
    }
    boolean certificateAuthority = false;
    int index = 0;
    if (index < sequence.size() && sequence.getObjectAt(index) instanceof ASN1Boolean flag) {
      if (!flag.isTrue()) {
        // DER leaves out DEFAULT FALSE, and Bouncy Castle's re-encoding cannot see that.
        throw fail(type, 5, "basicConstraints does not decode: not DER (cA FALSE encoded)");
      }
      certificateAuthority = true;
      index++;
    }
    if (index < sequence.size()) {
      if (!(sequence.getObjectAt(index) instanceof ASN1Integer pathLength)
          || pathLength.getValue().signum() < 0
          || index + 1 != sequence.size()) {
        throw fail(type, 5, "basicConstraints does not decode: bad pathLenConstraint");
      }
    }
    if (certificateAuthority != type.isCertificateAuthority()) {
      throw fail(
          type,
          5,
          "basicConstraints cA is "
              + (certificateAuthority ? "TRUE" : "FALSE")
              + ", expected "
              + (type.isCertificateAuthority() ? "TRUE" : "FALSE"));
    }
  }

  /** Rule 6: notBefore ≤ now ≤ notAfter on the injected clock. */
  private static void checkValidity(CertificateType type, CccCertificate certificate, Instant now) {
    if (now.isBefore(certificate.notBefore())) {
      throw fail(
          type, 6, "not yet valid: notBefore " + certificate.notBefore() + " is after now " + now);
    }
    if (now.isAfter(certificate.notAfter())) {
      throw fail(type, 6, "expired: notAfter " + certificate.notAfter() + " is before now " + now);
    }
  }

  private static CertificateExtension exactlyOnce(
      CertificateType type, CccCertificate certificate, String oid, String name) {
    List<CertificateExtension> found = certificate.extensions(oid);
    if (found.isEmpty()) {
      throw fail(type, 5, name + " missing");
    }
    if (found.size() > 1) {
      throw fail(type, 5, name + " present " + found.size() + " times");
    }
    return found.get(0);
  }

  private static void requireCritical(
      CertificateType type, CertificateExtension extension, String name) {
    if (!extension.critical()) {
      throw fail(type, 5, name + " is not critical");
    }
  }

  private static ASN1Primitive decodeExtension(CertificateType type, byte[] value, String name) {
    try {
      return Der.decode(value, "its value");
    } catch (CccException e) {
      throw fail(type, 5, name + " does not decode: " + e.getMessage());
    }
  }

  static String message(CertificateType type, int rule, String text) {
    return type.label() + ": " + text + " (§8.5 rule " + rule + ")";
  }

  private static CccException fail(CertificateType type, int rule, String text) {
    return new CccException(CccException.Failure.VERIFICATION, message(type, rule, text));
  }
}
