package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.DkProfile;

/**
 * The certificate types of §8.4, with what the profile fixes for each: the CCC extension, the
 * keyUsage bit and the basicConstraints form. Labels name the certificate as the contract does, so
 * failure messages read like the contract.
 */
public enum CertificateType {
  VEHICLE_OEM_CA("Vehicle OEM CA", "the Vehicle OEM CA", DkProfile.EXT_VEHICLE_OEM_CA, true, false),
  VEHICLE("K (vehicle)", "K", DkProfile.EXT_VEHICLE, false, false),
  VEHICLE_INTERMEDIATE_CA(
      "7F4C (vehicle intermediate CA)", "7F4C", DkProfile.EXT_VEHICLE_INTERMEDIATE, true, true),
  DEVICE_OEM_CA("F (Device OEM CA)", "F", DkProfile.EXT_DEVICE_OEM_CA, true, false),
  INSTANCE_CA("E (Instance CA)", "E", DkProfile.EXT_INSTANCE_CA, true, true),
  ENDPOINT("H (endpoint)", "H", DkProfile.EXT_ENDPOINT, false, false);

  private final String label;
  private final String shortName;
  private final int cccExtensionNumber;
  private final boolean certificateAuthority;
  private final boolean pathLengthZero;

  CertificateType(
      String label,
      String shortName,
      int cccExtensionNumber,
      boolean certificateAuthority,
      boolean pathLengthZero) {
    this.label = label;
    this.shortName = shortName;
    this.cccExtensionNumber = cccExtensionNumber;
    this.certificateAuthority = certificateAuthority;
    this.pathLengthZero = pathLengthZero;
  }

  /** How messages name the certificate, e.g. {@code E (Instance CA)}. */
  public String label() {
    return label;
  }

  /** The contract's short name, e.g. {@code E}. */
  public String shortName() {
    return shortName;
  }

  /** The x of the CCC extension {@code 1.3.6.1.4.1.41577.5.x} this type carries (§8.4). */
  public int cccExtensionNumber() {
    return cccExtensionNumber;
  }

  /** The dotted OID of this type's CCC extension, derived from the arc in {@link DkProfile}. */
  public String cccExtensionOid() {
    return cccExtensionOid(cccExtensionNumber);
  }

  /**
   * True for CA certificates: keyUsage keyCertSign and cA TRUE; false: digitalSignature, cA FALSE.
   */
  public boolean isCertificateAuthority() {
    return certificateAuthority;
  }

  /** True when basicConstraints carries pathLenConstraint 0 (§8.3: Instance CA and 7F4C). */
  public boolean hasPathLengthZero() {
    return pathLengthZero;
  }

  /** {@code 1.3.6.1.4.1.41577.5.x} (§8.3). */
  public static String cccExtensionOid(int number) {
    return DkProfile.CCC_EXTENSION_ARC + "." + number;
  }
}
