package dev.dkrig.ccc.pki;

import dev.dkrig.iso7816.Hex;
import java.util.Arrays;

/**
 * One X.509 extension as it appears in a certificate: OID, critical flag and the raw value (the
 * content of the extnValue OCTET STRING).
 *
 * @param oid dotted OID
 * @param critical the critical flag (absent in DER means false)
 * @param value the extnValue bytes
 */
public record CertificateExtension(String oid, boolean critical, byte[] value) {

  public CertificateExtension {
    value = value.clone();
  }

  public static CertificateExtension critical(String oid, byte[] value) {
    return new CertificateExtension(oid, true, value);
  }

  public static CertificateExtension nonCritical(String oid, byte[] value) {
    return new CertificateExtension(oid, false, value);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The same extension with another critical flag. */
  public CertificateExtension withCritical(boolean newCritical) {
    return new CertificateExtension(oid, newCritical, value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CertificateExtension that
        && oid.equals(that.oid)
        && critical == that.critical
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * oid.hashCode() + Boolean.hashCode(critical)) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return oid + (critical ? " critical " : " ") + Hex.encode(value);
  }
}
