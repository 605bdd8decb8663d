package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The device's check of the vehicle certificate K on the last WRITE DATA of transaction 1 (§7.7): K
 * valid under the device's Vehicle OEM CA trust anchor, through the 7F4C intermediate when one was
 * sent, with the rules of §8.5 adapted to K ({@code .5.1}, digitalSignature, cA FALSE); K's subject
 * CN is the upper-case hex of 7F4A.4D and K's key is 7F4A.82. Any failure is a {@code 6A80} for the
 * device.
 */
public final class VehicleCertificateCheck {
  private final TrustAnchor vehicleOemCa;
  private final boolean checkValidity;

  /** With {@code pki.checkValidity} at its default (§16). */
  public VehicleCertificateCheck(TrustAnchor vehicleOemCa) {
    this(vehicleOemCa, DkProfile.PKI_CHECK_VALIDITY);
  }

  public VehicleCertificateCheck(TrustAnchor vehicleOemCa, boolean checkValidity) {
    this.vehicleOemCa = vehicleOemCa;
    this.checkValidity = checkValidity;
  }

  /**
   * Checks 7F4B (K) and the optional 7F4C against the 7F4A of the same stream.
   *
   * @param now the device clock for rule 6
   * @return K, parsed
   * @throws CccException VERIFICATION for a §8.5 rule, naming the certificate and the rule;
   *     MISMATCH when K's CN or key differs from 7F4A
   */
  public CccCertificate verify(
      byte[] vehicleCertificate,
      Optional<byte[]> intermediateCa,
      EndpointCreationData sent,
      Instant now) {
    Optional<CccCertificate> intermediate =
        intermediateCa.map(
            der -> CertificateChecks.parse(CertificateType.VEHICLE_INTERMEDIATE_CA, der));
    CccCertificate k = CertificateChecks.parse(CertificateType.VEHICLE, vehicleCertificate);
    chain(k, intermediate, now);

    String expectedName = Hex.encode(sent.vehicleIdentifier());
    Optional<String> name = k.subjectCommonName();
    if (name.isEmpty()) {
      throw mismatch(
          "K subject is not one UTF8String commonName (§8.3); expected the hex of 7F4A.4D "
              + expectedName);
    }
    if (!name.get().equals(expectedName)) {
      throw mismatch(
          "K subject CN '" + name.get() + "' differs from the hex of 7F4A.4D " + expectedName);
    }
    if (!Arrays.equals(k.publicKey(), sent.vehiclePublicKey())) {
      throw mismatch(
          "K public key "
              + Hex.encode(k.publicKey())
              + " differs from 7F4A.82 "
              + Hex.encode(sent.vehiclePublicKey()));
    }
    return k;
  }

  /** K, through the intermediate when there is one, under this check's trust anchor. */
  private void chain(CccCertificate k, Optional<CccCertificate> intermediate, Instant now) {
    CertificateChecks.Issuer issuer = CertificateChecks.Issuer.of("the trust anchor", vehicleOemCa);
    if (intermediate.isPresent()) {
      CertificateType type = CertificateType.VEHICLE_INTERMEDIATE_CA;
      ECPoint point = CertificateChecks.check(type, intermediate.get(), issuer, now, checkValidity);
      issuer = CertificateChecks.Issuer.of(type, intermediate.get(), point);
    }
    CertificateChecks.check(CertificateType.VEHICLE, k, issuer, now, checkValidity);
  }

  /**
   * The vehicle's own K, checked before a run as a device will check it (issue 15): under the trust
   * anchor among {@code anchors} named as its issuer (or its intermediate's), by the rules of §8.5,
   * its validity at {@code now} when {@code checkValidity}. A K that fails here would make P2.4
   * fail and seem to blame the phone.
   *
   * @throws CccException VERIFICATION naming the rule, or that no anchor issued it
   */
  public static void checkOwn(
      CccCertificate k,
      Optional<CccCertificate> intermediate,
      java.util.List<TrustAnchor> anchors,
      Instant now,
      boolean checkValidity) {
    byte[] top = intermediate.map(CccCertificate::issuer).orElse(k.issuer());
    CccException last = null;
    for (TrustAnchor anchor : anchors) {
      if (!Arrays.equals(anchor.subject(), top)) {
        continue;
      }
      try {
        new VehicleCertificateCheck(anchor, checkValidity).chain(k, intermediate, now);
        return;
      } catch (CccException e) {
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
    throw new CccException(
        CccException.Failure.VERIFICATION,
        "no trust anchor of the profile is the issuer of "
            + (intermediate.isPresent() ? "the intermediate CA" : "K"));
  }

  private static CccException mismatch(String message) {
    return new CccException(CccException.Failure.MISMATCH, message);
  }
}
