package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * Values of the CCC extensions other than {@code .5.4} (§8.4): {@code SEQUENCE { INTEGER 1 }} for
 * .5.1, .5.2, .5.8 and .5.9, and {@code SEQUENCE { INTEGER 1, OCTET STRING(4) applet_version }} for
 * .5.3.
 */
final class CccExtensionValues {
  private CccExtensionValues() {}

  /** {@code 30 03 02 01 01}. */
  static byte[] versionOnly() {
    return Der.encode(new DERSequence(version()));
  }

  /** {@code 30 09 02 01 01 04 04 00 00 <applet version>}. */
  static byte[] instanceCa(int appletVersion) {
    if (appletVersion < 0 || appletVersion > 0xFFFF) {
      throw new IllegalArgumentException("applet version must fit 2 bytes: " + appletVersion);
    }
    byte[] fourBytes = Bytes.u32(appletVersion);
    return Der.encode(
        new DERSequence(new ASN1Encodable[] {version(), new DEROctetString(fourBytes)}));
  }

  /**
   * Decodes a CCC extension value of the given type (§8.5 rule 5 "decodes").
   *
   * @throws CccException MALFORMED naming what does not follow §8.4
   */
  static void decode(CertificateType type, byte[] value) {
    String what = ".5." + type.cccExtensionNumber() + " value";
    switch (type) {
      case ENDPOINT -> EndpointExtension.decode(value);
      case INSTANCE_CA -> decodeInstanceCa(value, what);
      default -> {
        ASN1Sequence sequence = sequenceOf(value, what, 1);
        checkVersion(sequence, what);
      }
    }
  }

  /** The 2-byte applet version carried by a {@code .5.3} value. */
  static int decodeInstanceCa(byte[] value, String what) {
    ASN1Sequence sequence = sequenceOf(value, what, 2);
    checkVersion(sequence, what);
    if (!(sequence.getObjectAt(1) instanceof ASN1OctetString octets)
        || octets.getOctets().length != DkProfile.INSTANCE_CA_APPLET_VERSION_LENGTH) {
      throw CccException.malformed(what + ": applet_version is not an OCTET STRING of 4 bytes");
    }
    byte[] bytes = octets.getOctets();
    if (bytes[0] != 0 || bytes[1] != 0) {
      throw CccException.malformed(what + ": applet_version does not start with 00 00");
    }
    return Bytes.u16(bytes, 2);
  }

  private static ASN1Integer version() {
    return new ASN1Integer(DkProfile.CCC_EXTENSION_VERSION);
  }

  private static ASN1Sequence sequenceOf(byte[] value, String what, int size) {
    ASN1Primitive primitive = Der.decode(value, what);
    if (!(primitive instanceof ASN1Sequence sequence) || sequence.size() != size) {
      throw CccException.malformed(what + ": not a SEQUENCE of " + size + " element(s)");
    }
    return sequence;
  }

  private static void checkVersion(ASN1Sequence sequence, String what) {
    if (!(sequence.getObjectAt(0) instanceof ASN1Integer version)
        || !version.getValue().equals(BigInteger.valueOf(DkProfile.CCC_EXTENSION_VERSION))) {
      throw CccException.malformed(what + ": first element is not INTEGER 1");
    }
  }
}
