package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.P256;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A trust anchor (§8.5, §18.19): a public key with its subject Name, and the certificate when the
 * anchor was configured as one (so that a certificate equal to it is trusted as it stands).
 */
public final class TrustAnchor {
  private final byte[] subject;
  private final byte[] publicKey;
  private final ECPoint point;
  private final Optional<CccCertificate> certificate;

  private TrustAnchor(byte[] subject, byte[] publicKey, Optional<CccCertificate> certificate) {
    this.subject = subject.clone();
    this.publicKey = publicKey.clone();
    // A trust anchor with an invalid key is a configuration error, caught when it is loaded.
    this.point = P256.decodePoint(publicKey);
    this.certificate = certificate;
  }

  /**
   * The anchor a certificate stands for: its subject and public key.
   *
   * @throws dev.dkrig.ccc.CccException INVALID_POINT when its key is not a valid P-256 point
   */
  public static TrustAnchor of(CccCertificate certificate) {
    return new TrustAnchor(
        certificate.subject(), certificate.publicKey(), Optional.of(certificate));
  }

  /**
   * An anchor known only by subject Name DER and 65-byte public point.
   *
   * @throws dev.dkrig.ccc.CccException INVALID_POINT when the key is not a valid P-256 point
   */
  public static TrustAnchor of(byte[] subjectName, byte[] publicKey) {
    return new TrustAnchor(subjectName, publicKey, Optional.empty());
  }

  /** DER of the anchor's subject Name, compared with the issuer of the certificates it issued. */
  public byte[] subject() {
    return subject.clone();
  }

  /** The 65-byte public point. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  ECPoint point() {
    return point;
  }

  /**
   * Builds now the tables Bouncy Castle keeps on this anchor's key for signature checks, so that
   * P2.6.1 finds them (issue 20: precomputed while the car waits). Checks no signature.
   */
  public void prepare() {
    dev.dkrig.ccc.Ecdsa.verify(
        point, new byte[0], java.math.BigInteger.ONE, java.math.BigInteger.ONE);
  }

  public Optional<CccCertificate> certificate() {
    return certificate;
  }

  /** True when the anchor was configured from exactly this certificate (same DER). */
  public boolean isCertificate(byte[] der) {
    return certificate.isPresent() && Arrays.equals(certificate.get().encoded(), der);
  }

  @Override
  public String toString() {
    return "TrustAnchor[" + certificate.map(CccCertificate::toString).orElse("key only") + "]";
  }
}
