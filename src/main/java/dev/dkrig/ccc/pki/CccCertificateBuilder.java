package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Builds certificates exactly as §8.3 and §8.4 lay them out, from ASN.1 primitives, and signs them
 * with RFC 6979 ECDSA (§18.21), so the same inputs always give the same bytes (§17.4.3).
 *
 * <p>The static factories preset everything a certificate type fixes; serial number and validity
 * are then set (except for H, whose are derived), and {@link #sign} produces the certificate. The
 * remaining setters replace single fields, which lets the simulated device and the tests produce
 * deliberately broken certificates that are still properly signed.
 */
public final class CccCertificateBuilder {
  private static final int TAG_SEQUENCE = 0x30;
  private static final int TAG_BIT_STRING = 0x03;
  private static final int TAG_EXTENSIONS = 0xA3;
  private static final int X509_VERSION_3 = 2;

  private final CertificateType type;
  private BigInteger serialNumber;
  private byte[] tbsSignatureAlgorithm = Der.ECDSA_WITH_SHA256;
  private byte[] signatureAlgorithm = Der.ECDSA_WITH_SHA256;
  private byte[] issuerName;
  private Optional<byte[]> authorityPublicKey = Optional.empty();
  private Instant notBefore;
  private Instant notAfter;
  private byte[] subjectName;
  private byte[] subjectPublicKey;
  private byte[] subjectPublicKeyInfo;
  private byte[] cccExtensionValue;
  private UnaryOperator<List<CertificateExtension>> extensionEditor = UnaryOperator.identity();

  private CccCertificateBuilder(CertificateType type) {
    this.type = type;
    this.cccExtensionValue = CccExtensionValues.versionOnly();
  }

  /**
   * A builder preset for the type's keyUsage and basicConstraints; the CCC extension value starts
   * as {@code SEQUENCE { INTEGER 1 }} (right for .5.1, .5.2, .5.8, .5.9; E and H need theirs set).
   * Everything else must be set.
   */
  public static CccCertificateBuilder of(CertificateType type) {
    return new CccCertificateBuilder(Objects.requireNonNull(type));
  }

  /** The self-signed Vehicle OEM CA, the trust anchor (§8.4, {@code .5.9}, no AKI). */
  public static CccCertificateBuilder vehicleOemCa(String commonName, byte[] publicKey) {
    CccCertificateBuilder builder =
        of(CertificateType.VEHICLE_OEM_CA)
            .subjectCommonName(commonName)
            .subjectPublicKey(publicKey);
    builder.issuerName = builder.subjectName.clone();
    return builder;
  }

  /** K (§8.4, {@code .5.1}): subject CN = the vehicle identifier as 16 upper-case hex digits. */
  public static CccCertificateBuilder vehicle(
      CccCertificate issuer, byte[] vehicleIdentifier, byte[] vehiclePublicKey) {
    return of(CertificateType.VEHICLE)
        .issuedBy(issuer)
        .subjectCommonName(Hex.encode(vehicleIdentifier))
        .subjectPublicKey(vehiclePublicKey);
  }

  /** The optional vehicle intermediate CA sent as 7F4C (§7.3, {@code .5.8}, pathLen 0). */
  public static CccCertificateBuilder vehicleIntermediateCa(
      CccCertificate issuer, String commonName, byte[] publicKey) {
    return of(CertificateType.VEHICLE_INTERMEDIATE_CA)
        .issuedBy(issuer)
        .subjectCommonName(commonName)
        .subjectPublicKey(publicKey);
  }

  /** F, the Device OEM CA cross-certified by the Vehicle OEM CA (§8.4, {@code .5.2}). */
  public static CccCertificateBuilder deviceOemCa(
      CccCertificate issuer, String commonName, byte[] publicKey) {
    return of(CertificateType.DEVICE_OEM_CA)
        .issuedBy(issuer)
        .subjectCommonName(commonName)
        .subjectPublicKey(publicKey);
  }

  /**
   * E, the Instance CA (§8.4, {@code .5.3}, pathLen 0).
   *
   * @param appletVersion the highest DK applet version the device supports, e.g. {@code 0x0101};
   *     written as {@code 00 00 ‖ version}
   */
  public static CccCertificateBuilder instanceCa(
      CccCertificate issuer, String commonName, byte[] publicKey, int appletVersion) {
    return of(CertificateType.INSTANCE_CA)
        .issuedBy(issuer)
        .subjectCommonName(commonName)
        .subjectPublicKey(publicKey)
        .cccExtensionValue(CccExtensionValues.instanceCa(appletVersion));
  }

  /** H for the 7F4A the vehicle sent (§8.1 step 3, §8.4). */
  public static CccCertificateBuilder endpoint(
      CccCertificate issuer,
      byte[] endpointPublicKey,
      EndpointCreationData data,
      Instant creationTime) {
    return endpoint(issuer, endpointPublicKey, EndpointExtension.from(data), creationTime);
  }

  /**
   * H with the given {@code .5.4} value (§8.4): CN = DK identifier hex, serial = {@code 01 ‖
   * DK_identifier[0..6]} (§8.3), notBefore = the creation time in whole seconds, notAfter = {@code
   * 99991231235959Z}.
   */
  public static CccCertificateBuilder endpoint(
      CccCertificate issuer,
      byte[] endpointPublicKey,
      EndpointExtension extension,
      Instant creationTime) {
    DkIdentifier identifier = DkIdentifier.ofEndpointKey(endpointPublicKey);
    return of(CertificateType.ENDPOINT)
        .issuedBy(issuer)
        .serialNumber(endpointSerialNumber(identifier))
        .subjectCommonName(identifier.hex())
        .subjectPublicKey(endpointPublicKey)
        .validity(creationTime.truncatedTo(ChronoUnit.SECONDS), DkProfile.ENDPOINT_NOT_AFTER)
        .cccExtensionValue(extension.encode());
  }

  /** §8.3: {@code 01 ‖ DK_identifier[0..6]}, 8 bytes. */
  public static BigInteger endpointSerialNumber(DkIdentifier identifier) {
    byte[] serial =
        Bytes.concat(
            Bytes.of(DkProfile.ENDPOINT_SERIAL_PREFIX),
            Bytes.range(identifier.value(), 0, DkProfile.ENDPOINT_SERIAL_IDENTIFIER_BYTES));
    return new BigInteger(1, serial);
  }

  public CccCertificateBuilder serialNumber(BigInteger serial) {
    this.serialNumber = Objects.requireNonNull(serial);
    return this;
  }

  /** Both times; written as UTCTime before 2050 and GeneralizedTime after (§8.3). */
  public CccCertificateBuilder validity(Instant notBefore, Instant notAfter) {
    this.notBefore = Objects.requireNonNull(notBefore);
    this.notAfter = Objects.requireNonNull(notAfter);
    return this;
  }

  /** Issuer Name = the issuer's subject DER; AKI = SHA-1 of the issuer's point (§8.3). */
  public CccCertificateBuilder issuedBy(CccCertificate issuer) {
    return issuedBy(issuer.subject(), issuer.publicKey());
  }

  /** As {@link #issuedBy(CccCertificate)} for an issuer known by subject Name DER and point. */
  public CccCertificateBuilder issuedBy(byte[] issuerSubject, byte[] issuerPublicKey) {
    this.issuerName = issuerSubject.clone();
    this.authorityPublicKey = Optional.of(issuerPublicKey.clone());
    return this;
  }

  /** Replaces the issuer Name DER alone; the AKI keeps following the issuer's key. */
  public CccCertificateBuilder issuerName(byte[] nameDer) {
    this.issuerName = nameDer.clone();
    return this;
  }

  /** Subject = one RDN with one UTF8String commonName (§8.3). */
  public CccCertificateBuilder subjectCommonName(String commonName) {
    this.subjectName = Der.commonName(commonName);
    return this;
  }

  public CccCertificateBuilder subjectName(byte[] nameDer) {
    this.subjectName = nameDer.clone();
    return this;
  }

  /** The subject's point, written in the §8.3 SPKI and hashed into the SKI; not validated. */
  public CccCertificateBuilder subjectPublicKey(byte[] point) {
    this.subjectPublicKey = point.clone();
    this.subjectPublicKeyInfo = Der.subjectPublicKeyInfo(point);
    return this;
  }

  /** Replaces the SPKI DER alone; the SKI keeps the point given before. */
  public CccCertificateBuilder subjectPublicKeyInfo(byte[] spkiDer) {
    this.subjectPublicKeyInfo = spkiDer.clone();
    return this;
  }

  /** The value of the type's CCC extension. */
  public CccCertificateBuilder cccExtensionValue(byte[] value) {
    this.cccExtensionValue = value.clone();
    return this;
  }

  /** Replaces the AlgorithmIdentifier DER inside the TBSCertificate and the outer one. */
  public CccCertificateBuilder algorithmIdentifiers(byte[] inTbs, byte[] outer) {
    this.tbsSignatureAlgorithm = inTbs.clone();
    this.signatureAlgorithm = outer.clone();
    return this;
  }

  /** Applies an edit to the §8.3 extension list before encoding (reorder, drop, add, alter). */
  public CccCertificateBuilder editExtensions(UnaryOperator<List<CertificateExtension>> editor) {
    UnaryOperator<List<CertificateExtension>> previous = extensionEditor;
    this.extensionEditor = list -> editor.apply(new ArrayList<>(previous.apply(list)));
    return this;
  }

  /**
   * The extensions in §8.3 order: CCC extension, keyUsage, basicConstraints (all critical), AKI
   * (omitted when self-signed), SKI; then any edit.
   */
  public List<CertificateExtension> extensions() {
    requireSet(subjectPublicKey, "subject public key");
    List<CertificateExtension> list = new ArrayList<>();
    list.add(CertificateExtension.critical(type.cccExtensionOid(), cccExtensionValue));
    list.add(CertificateExtension.critical(Extension.keyUsage.getId(), keyUsage(type)));
    list.add(
        CertificateExtension.critical(Extension.basicConstraints.getId(), basicConstraints(type)));
    authorityPublicKey.ifPresent(
        point ->
            list.add(
                CertificateExtension.nonCritical(
                    Extension.authorityKeyIdentifier.getId(), authorityKeyIdentifier(point))));
    list.add(
        CertificateExtension.nonCritical(
            Extension.subjectKeyIdentifier.getId(), subjectKeyIdentifier(subjectPublicKey)));
    return List.copyOf(extensionEditor.apply(new ArrayList<>(list)));
  }

  /** The DER TBSCertificate as it will be signed. */
  public byte[] tbsCertificate() {
    requireSet(serialNumber, "serial number");
    requireSet(issuerName, "issuer");
    requireSet(notBefore, "validity");
    requireSet(subjectName, "subject");
    byte[] version = Der.encode(new DERTaggedObject(true, 0, new ASN1Integer(X509_VERSION_3)));
    byte[] validity =
        Der.encode(new DERSequence(new ASN1Encodable[] {Der.time(notBefore), Der.time(notAfter)}));
    List<CertificateExtension> extensions = extensions();
    byte[] extensionsField =
        extensions.isEmpty() ? new byte[0] : Der.wrap(TAG_EXTENSIONS, encodeExtensions(extensions));
    return Der.wrap(
        TAG_SEQUENCE,
        version,
        Der.encode(new ASN1Integer(serialNumber)),
        tbsSignatureAlgorithm,
        issuerName,
        validity,
        subjectName,
        subjectPublicKeyInfo,
        extensionsField);
  }

  /** Signs the TBSCertificate with the issuer's key (the subject's own key for the root). */
  public CccCertificate sign(EcKeyPair issuerKey) {
    return CccCertificate.parse(signEncoded(issuerKey));
  }

  /** As {@link #sign}, returning the DER without parsing it back (edits may make it unparsable). */
  public byte[] signEncoded(EcKeyPair issuerKey) {
    return assemble(tbsCertificate(), signatureAlgorithm, issuerKey);
  }

  /**
   * Wraps arbitrary TBSCertificate bytes into a certificate signed over exactly those bytes; the
   * bytes are not checked, so a test can sign a TBSCertificate that is not DER.
   */
  public static byte[] assemble(byte[] tbsCertificate, byte[] signatureAlgorithm, EcKeyPair key) {
    byte[] signature = Ecdsa.rawToDer(Ecdsa.sign(key, tbsCertificate));
    byte[] signatureValue = Der.wrap(TAG_BIT_STRING, Bytes.of(0x00), signature);
    return Der.wrap(TAG_SEQUENCE, tbsCertificate, signatureAlgorithm, signatureValue);
  }

  /** {@code 03 02 02 04} (keyCertSign) for CAs, {@code 03 02 07 80} (digitalSignature) else. */
  static byte[] keyUsage(CertificateType type) {
    int usage = type.isCertificateAuthority() ? KeyUsage.keyCertSign : KeyUsage.digitalSignature;
    return Der.encode(new KeyUsage(usage));
  }

  /** {@code 30 00}, {@code 30 03 01 01 FF} or {@code 30 06 01 01 FF 02 01 00} (§8.3). */
  static byte[] basicConstraints(CertificateType type) {
    if (type.hasPathLengthZero()) {
      return Der.encode(new BasicConstraints(0));
    }
    return Der.encode(new BasicConstraints(type.isCertificateAuthority()));
  }

  /** {@code 30 16 80 14 SHA-1(issuer point)}, keyIdentifier only (§8.3). */
  static byte[] authorityKeyIdentifier(byte[] issuerPoint) {
    return Der.encode(
        new DERSequence(
            new DERTaggedObject(false, 0, new DEROctetString(Crypto.sha1(issuerPoint)))));
  }

  /** {@code 04 14 SHA-1(point)} (§8.3). */
  static byte[] subjectKeyIdentifier(byte[] point) {
    return Der.encode(new DEROctetString(Crypto.sha1(point)));
  }

  private static byte[] encodeExtensions(List<CertificateExtension> extensions) {
    List<byte[]> encoded = new ArrayList<>();
    for (CertificateExtension extension : extensions) {
      ASN1EncodableVector fields = new ASN1EncodableVector();
      fields.add(new ASN1ObjectIdentifier(extension.oid()));
      // §8.3: non-critical extensions omit the BOOLEAN (DER leaves out DEFAULT FALSE).
      if (extension.critical()) {
        fields.add(ASN1Boolean.TRUE);
      }
      fields.add(new DEROctetString(extension.value()));
      encoded.add(Der.encode(new DERSequence(fields)));
    }
    return Der.wrap(TAG_SEQUENCE, encoded.toArray(new byte[0][]));
  }

  private static void requireSet(Object value, String what) {
    if (value == null) {
      throw new IllegalStateException("certificate builder: " + what + " not set");
    }
  }
}
