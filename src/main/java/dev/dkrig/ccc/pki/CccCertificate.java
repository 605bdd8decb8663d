package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * A parsed, immutable view of one DER certificate (§8.3). Parsing is strict about encoding and
 * structure only (DER, definite lengths, X.509 v3 layout); whether the content follows the profile
 * is for {@link ChainVerifier} and {@link VehicleCertificateCheck} to decide, so that each
 * deviation is reported under the rule of §8.5 that it breaks.
 */
public final class CccCertificate {
  private static final int VERSION_3 = 2;
  private static final int TAG_VERSION = 0;
  private static final int TAG_ISSUER_UNIQUE_ID = 1;
  private static final int TAG_SUBJECT_UNIQUE_ID = 2;
  private static final int TAG_EXTENSIONS = 3;

  private final byte[] encoded;
  private final byte[] tbsCertificate;
  private final BigInteger serialNumber;
  private final byte[] tbsSignatureAlgorithm;
  private final byte[] signatureAlgorithm;
  private final byte[] issuer;
  private final byte[] subject;
  private final Optional<String> subjectCommonName;
  private final Instant notBefore;
  private final Instant notAfter;
  private final byte[] subjectPublicKeyInfo;
  private final String publicKeyAlgorithm;
  private final Optional<String> publicKeyCurve;
  private final byte[] publicKey;
  private final List<CertificateExtension> extensions;
  private final byte[] signature;

  private CccCertificate(byte[] der) {
    encoded = der.clone();
    ASN1Sequence certificate = sequence(Der.decode(der, "certificate"), "Certificate", 3, 3);
    ASN1Sequence tbs = sequence(certificate.getObjectAt(0), "TBSCertificate", 1, 10);
    tbsCertificate = Der.encode(tbs);
    signatureAlgorithm = algorithmIdentifier(certificate.getObjectAt(1), "signatureAlgorithm");
    signature = signatureValue(certificate.getObjectAt(2));

    checkVersion(tbs.getObjectAt(0));
    sequence(tbs, "TBSCertificate", 7, 10);
    serialNumber = integer(tbs.getObjectAt(1), "serialNumber");
    tbsSignatureAlgorithm = algorithmIdentifier(tbs.getObjectAt(2), "TBSCertificate signature");
    issuer = name(tbs.getObjectAt(3), "issuer");
    ASN1Sequence validity = sequence(tbs.getObjectAt(4), "validity", 2, 2);
    notBefore = Der.parseTime(validity.getObjectAt(0), "notBefore");
    notAfter = Der.parseTime(validity.getObjectAt(1), "notAfter");
    subject = name(tbs.getObjectAt(5), "subject");
    subjectCommonName = Der.singleCommonName(X500Name.getInstance(tbs.getObjectAt(5)));

    ASN1Sequence spki = sequence(tbs.getObjectAt(6), "subjectPublicKeyInfo", 2, 2);
    subjectPublicKeyInfo = Der.encode(spki);
    ASN1Sequence keyAlgorithm = sequence(spki.getObjectAt(0), "SPKI algorithm", 1, 2);
    publicKeyAlgorithm = oid(keyAlgorithm.getObjectAt(0), "SPKI algorithm").getId();
    publicKeyCurve =
        keyAlgorithm.size() == 2
                && keyAlgorithm.getObjectAt(1).toASN1Primitive()
                    instanceof ASN1ObjectIdentifier curve
            ? Optional.of(curve.getId())
            : Optional.empty();
    publicKey = octetAlignedBits(spki.getObjectAt(1), "subjectPublicKey");

    extensions = optionalFields(tbs);
  }

  /**
   * Parses one certificate.
   *
   * @throws CccException MALFORMED with a one-line reason for anything that is not DER, not v3 or
   *     not shaped like an X.509 certificate
   */
  public static CccCertificate parse(byte[] der) {
    try {
      return new CccCertificate(der);
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      // Bouncy Castle's getInstance methods report structural mismatches this way.
      throw CccException.malformed("certificate: " + e.getMessage());
    }
  }

  /** The exact DER of the whole certificate. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The exact TBSCertificate bytes, the input of the signature (§8.5 rule 2). */
  public byte[] tbsCertificate() {
    return tbsCertificate.clone();
  }

  /** Always 3: {@link #parse} rejects other versions. */
  public int version() {
    return VERSION_3 + 1;
  }

  public BigInteger serialNumber() {
    return serialNumber;
  }

  /** DER of the AlgorithmIdentifier inside the TBSCertificate. */
  public byte[] tbsSignatureAlgorithm() {
    return tbsSignatureAlgorithm.clone();
  }

  /** DER of the outer signatureAlgorithm. */
  public byte[] signatureAlgorithm() {
    return signatureAlgorithm.clone();
  }

  /** DER of the issuer Name. */
  public byte[] issuer() {
    return issuer.clone();
  }

  /** DER of the subject Name. */
  public byte[] subject() {
    return subject.clone();
  }

  /** The subject's commonName when the subject has the §8.3 form (one RDN, one UTF8String CN). */
  public Optional<String> subjectCommonName() {
    return subjectCommonName;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  /** DER of the SubjectPublicKeyInfo. */
  public byte[] subjectPublicKeyInfo() {
    return subjectPublicKeyInfo.clone();
  }

  /** The SPKI algorithm OID (id-ecPublicKey in the profile). */
  public String publicKeyAlgorithm() {
    return publicKeyAlgorithm;
  }

  /** The SPKI parameters when they are a named-curve OID (prime256v1 in the profile). */
  public Optional<String> publicKeyCurve() {
    return publicKeyCurve;
  }

  /** The subjectPublicKey BIT STRING content: the 65-byte point in a conforming certificate. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The extensions in certificate order, duplicates included. */
  public List<CertificateExtension> extensions() {
    return extensions;
  }

  /** The extensions with this OID, in certificate order. */
  public List<CertificateExtension> extensions(String oid) {
    return extensions.stream().filter(e -> e.oid().equals(oid)).toList();
  }

  /** The signature as raw {@code r ‖ s}. */
  public byte[] signature() {
    return signature.clone();
  }

  private void checkVersion(ASN1Encodable first) {
    if (!(first instanceof ASN1TaggedObject tagged) || !tagged.hasContextTag(TAG_VERSION)) {
      throw CccException.malformed("certificate: version field absent (v1), expected v3");
    }
    BigInteger version = ASN1Integer.getInstance(tagged, true).getValue();
    if (!version.equals(BigInteger.valueOf(VERSION_3))) {
      throw CccException.malformed(
          "certificate: version INTEGER " + version + " is not v3 (INTEGER 2)");
    }
  }

  /** Unique identifiers (tolerated, X.509 allows them) and the [3] extensions, in that order. */
  private static List<CertificateExtension> optionalFields(ASN1Sequence tbs) {
    List<CertificateExtension> found = List.of();
    int lastTag = -1;
    for (int i = 7; i < tbs.size(); i++) {
      if (!(tbs.getObjectAt(i) instanceof ASN1TaggedObject tagged)
          || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC
          || tagged.getTagNo() <= lastTag
          || tagged.getTagNo() < TAG_ISSUER_UNIQUE_ID
          || tagged.getTagNo() > TAG_EXTENSIONS) {
        throw CccException.malformed(
            "certificate: unexpected field " + (i + 1) + " in TBSCertificate");
      }
      lastTag = tagged.getTagNo();
      if (lastTag == TAG_ISSUER_UNIQUE_ID || lastTag == TAG_SUBJECT_UNIQUE_ID) {
        ASN1BitString.getInstance(tagged, false);
      } else {
        found = extensionList(ASN1Sequence.getInstance(tagged, true));
      }
    }
    return found;
  }

  private static List<CertificateExtension> extensionList(ASN1Sequence sequence) {
    if (sequence.size() == 0) {
      throw CccException.malformed("certificate: empty extensions SEQUENCE");
    }
    List<CertificateExtension> out = new ArrayList<>();
    for (ASN1Encodable element : sequence) {
      ASN1Sequence extension = sequence(element, "Extension", 2, 3);
      String oid = oid(extension.getObjectAt(0), "extnID").getId();
      boolean critical = false;
      if (extension.size() == 3) {
        critical = ASN1Boolean.getInstance(extension.getObjectAt(1)).isTrue();
        if (!critical) {
          // DER omits a DEFAULT value; Bouncy Castle cannot tell, so check by hand.
          throw CccException.malformed("certificate: extension " + oid + " encodes critical FALSE");
        }
      }
      ASN1OctetString value =
          ASN1OctetString.getInstance(extension.getObjectAt(extension.size() - 1));
      out.add(new CertificateExtension(oid, critical, value.getOctets()));
    }
    return List.copyOf(out);
  }

  private static ASN1Sequence sequence(ASN1Encodable value, String what, int min, int max) {
    if (!(value.toASN1Primitive() instanceof ASN1Sequence sequence)) {
      throw CccException.malformed("certificate: " + what + " is not a SEQUENCE");
    }
    if (sequence.size() < min || sequence.size() > max) {
      throw CccException.malformed(
          "certificate: "
              + what
              + " has "
              + sequence.size()
              + " elements, expected "
              + min
              + (min == max ? "" : "-" + max));
    }
    return sequence;
  }

  private static byte[] algorithmIdentifier(ASN1Encodable value, String what) {
    sequence(value, what, 1, 2);
    return Der.encode(AlgorithmIdentifier.getInstance(value));
  }

  private static BigInteger integer(ASN1Encodable value, String what) {
    if (!(value.toASN1Primitive() instanceof ASN1Integer integer)) {
      throw CccException.malformed("certificate: " + what + " is not an INTEGER");
    }
    return integer.getValue();
  }

  private static ASN1ObjectIdentifier oid(ASN1Encodable value, String what) {
    if (!(value.toASN1Primitive() instanceof ASN1ObjectIdentifier oid)) {
      throw CccException.malformed("certificate: " + what + " is not an OBJECT IDENTIFIER");
    }
    return oid;
  }

  private static byte[] name(ASN1Encodable value, String what) {
    sequence(value, what, 0, Integer.MAX_VALUE);
    return Der.encode(X500Name.getInstance(value));
  }

  private static byte[] octetAlignedBits(ASN1Encodable value, String what) {
    if (!(value.toASN1Primitive() instanceof ASN1BitString bits)) {
      throw CccException.malformed("certificate: " + what + " is not a BIT STRING");
    }
    if (bits.getPadBits() != 0) {
      throw CccException.malformed(
          "certificate: " + what + " has " + bits.getPadBits() + " unused bits");
    }
    return bits.getOctets();
  }

  private static byte[] signatureValue(ASN1Encodable value) {
    try {
      return Ecdsa.derToRaw(octetAlignedBits(value, "signatureValue"));
    } catch (CccException e) {
      throw CccException.malformed("certificate: signatureValue: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CccCertificate that && Arrays.equals(encoded, that.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "CccCertificate[subject="
        + subjectCommonName.orElse("<no single CN>")
        + ", serial="
        + Hex.encode(serialNumber.toByteArray())
        + ", "
        + encoded.length
        + " bytes]";
  }
}
