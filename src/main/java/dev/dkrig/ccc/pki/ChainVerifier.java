package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The vehicle's chain verification (§8.5, P2.6.1): F against a trust anchor, E against F, H against
 * E, each with rules 1 to 6. Per §18.19 the vehicle holds a list of anchors (default: the Vehicle
 * OEM CA alone), and F verifies when it is itself one of them or is issued by one.
 */
public final class ChainVerifier {
  private final List<TrustAnchor> trustAnchors;
  private final boolean checkValidity;

  /** With {@code pki.checkValidity} at its default (§16). */
  public ChainVerifier(List<TrustAnchor> trustAnchors) {
    this(trustAnchors, DkProfile.PKI_CHECK_VALIDITY);
  }

  /**
   * A verifier for a fixed list of anchors.
   *
   * @param trustAnchors one or more anchors, tried in order
   * @param checkValidity {@code pki.checkValidity}: whether rule 6 applies
   */
  public ChainVerifier(List<TrustAnchor> trustAnchors, boolean checkValidity) {
    if (trustAnchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    this.trustAnchors = List.copyOf(trustAnchors);
    this.checkValidity = checkValidity;
  }

  public List<TrustAnchor> trustAnchors() {
    return trustAnchors;
  }

  public boolean checksValidity() {
    return checkValidity;
  }

  /**
   * Verifies the certificates read with GET DATA 7F24, 7F22 and 7F20 (§8.2).
   *
   * @param now the rig clock for rule 6
   * @throws CccException VERIFICATION naming the certificate and the rule that failed first
   */
  public VerifiedChain verify(byte[] deviceOemCa, byte[] instanceCa, byte[] endpoint, Instant now) {
    CccCertificate f = CertificateChecks.parse(CertificateType.DEVICE_OEM_CA, deviceOemCa);
    AnchoredCertificate anchored = anchor(f, now);

    CccCertificate e = CertificateChecks.parse(CertificateType.INSTANCE_CA, instanceCa);
    ECPoint instanceCaKey =
        CertificateChecks.check(
            CertificateType.INSTANCE_CA,
            e,
            CertificateChecks.Issuer.of(CertificateType.DEVICE_OEM_CA, f, anchored.point()),
            now,
            checkValidity);

    CccCertificate h = CertificateChecks.parse(CertificateType.ENDPOINT, endpoint);
    CertificateChecks.check(
        CertificateType.ENDPOINT,
        h,
        CertificateChecks.Issuer.of(CertificateType.INSTANCE_CA, e, instanceCaKey),
        now,
        checkValidity);
    return new VerifiedChain(anchored.anchor(), f, e, h);
  }

  private record AnchoredCertificate(TrustAnchor anchor, ECPoint point) {}

  /**
   * §18.19: F is trusted as it stands when it equals an anchor certificate; otherwise it must pass
   * the rules under one of the anchors. When none works, the failure reported is the one under the
   * first anchor whose subject F names as issuer (the most telling), else under the first.
   */
  private AnchoredCertificate anchor(CccCertificate f, Instant now) {
    for (TrustAnchor anchor : trustAnchors) {
      if (anchor.isCertificate(f.encoded())) {
        return new AnchoredCertificate(anchor, anchor.point());
      }
    }
    List<CccException> failures = new ArrayList<>();
    for (int i = 0; i < trustAnchors.size(); i++) {
      TrustAnchor anchor = trustAnchors.get(i);
      String name = trustAnchors.size() == 1 ? "the trust anchor" : "trust anchor " + (i + 1);
      try {
        ECPoint point =
            CertificateChecks.check(
                CertificateType.DEVICE_OEM_CA,
                f,
                CertificateChecks.Issuer.of(name, anchor),
                now,
                checkValidity);
        return new AnchoredCertificate(anchor, point);
      } catch (CccException e) {
        failures.add(e);
      }
    }
    int reported = 0;
    for (int i = trustAnchors.size() - 1; i >= 0; i--) {
      if (Arrays.equals(trustAnchors.get(i).subject(), f.issuer())) {
        reported = i;
      }
    }
    throw failures.get(reported);
  }
}
