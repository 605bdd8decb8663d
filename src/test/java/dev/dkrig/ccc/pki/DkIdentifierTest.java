package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Hex;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** §1 DK_identifier = SHA-1(endpoint point) = SKI of H; text form 40 upper-case hex digits. */
class DkIdentifierTest {

  @Test
  void isSha1OfTheEndpointPointAsInT1() {
    DkIdentifier identifier = DkIdentifier.ofEndpointKey(T1.bytes("key.endpoint.PK"));
    assertEquals(T1.vector("DK_identifier"), identifier.hex());
    assertEquals(identifier, DkIdentifier.fromHex(T1.vector("DK_identifier").toLowerCase()));
    assertEquals(T1.vector("DK_identifier"), identifier.toString());
  }

  @Test
  void equalsTheSubjectKeyIdentifierAndCommonNameOfH() {
    CccCertificate h = CccCertificate.parse(T1.bytes("cert.H_Endpoint"));
    byte[] ski = h.extensions("2.5.29.14").get(0).value();
    DkIdentifier identifier = DkIdentifier.ofEndpointKey(h.publicKey());
    assertEquals("0414" + identifier.hex(), Hex.encode(ski));
    assertEquals(Optional.of(identifier.hex()), h.subjectCommonName());
  }

  @Test
  void endpointSerialIsPrefixAndFirstSevenBytes() {
    DkIdentifier identifier = DkIdentifier.fromHex(T1.vector("DK_identifier"));
    assertEquals(
        "010C8D4E37D6165C",
        Hex.encode(CccCertificateBuilder.endpointSerialNumber(identifier).toByteArray()));
  }

  @Test
  void rejectsWrongLengths() {
    CccException e = assertThrows(CccException.class, () -> new DkIdentifier(new byte[19]));
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertThrows(IllegalArgumentException.class, () -> DkIdentifier.ofEndpointKey(new byte[64]));
  }
}
