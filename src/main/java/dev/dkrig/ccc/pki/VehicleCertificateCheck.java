package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.kcd.EndpointCreationData;
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
    CertificateChecks.Issuer issuer = CertificateChecks.Issuer.of("the trust anchor", vehicleOemCa);
    if (intermediateCa.isPresent()) {
      CertificateType type = CertificateType.VEHICLE_INTERMEDIATE_CA;
      CccCertificate intermediate = CertificateChecks.parse(type, intermediateCa.get());
      ECPoint point = CertificateChecks.check(type, intermediate, issuer, now, checkValidity);
      issuer = CertificateChecks.Issuer.of(type, intermediate, point);
    }
    CccCertificate k = CertificateChecks.parse(CertificateType.VEHICLE, vehicleCertificate);
    CertificateChecks.check(CertificateType.VEHICLE, k, issuer, now, checkValidity);

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

  private static CccException mismatch(String message) {
    return new CccException(CccException.Failure.MISMATCH, message);
  }
}
