package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Vectors;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The typed DK record the pairing builds at P2.6.2 and moves on at P2.8, P3.4 and P4.2.3 (§8.6).
 */
class DkRecordTest {
  private static final Instant BOUND = Instant.parse("2026-11-27T12:00:00Z");
  private static final Instant LATER = Instant.parse("2026-11-27T12:00:05Z");

  private static DkRecord uncommitted(SystemKeys keys) throws Exception {
    CccCertificate endpoint = CccCertificate.parse(Vectors.hex("cert.H_Endpoint"));
    return DkRecord.uncommitted(
        Hex.decode("444B524947563031"),
        DkIdentifier.ofEndpointKey(endpoint.publicKey()),
        0x0101,
        Hex.decode("0000000000000001"),
        endpoint,
        keys,
        BOUND);
  }

  @Test
  void p2_6_2HoldsTheEndpointAndTheSystemKeysUncommitted() throws Exception {
    SystemKeys keys = SystemKeys.derive(new byte[32]);
    DkRecord dk = uncommitted(keys);
    assertEquals(DkState.UNCOMMITTED, dk.state());
    assertEquals(Vectors.text("DK_identifier"), dk.dkId().hex());
    assertArrayEquals(Vectors.hex("cert.H_Endpoint"), dk.endpointCertificate());
    assertArrayEquals(Vectors.hex("key.endpoint.PK"), dk.endpointPublicKey());
    assertEquals(BOUND, dk.created());
    assertEquals(BOUND, dk.updated());
    assertArrayEquals(keys.ltss(), dk.secrets().ltss());
    assertArrayEquals(keys.kbleIntro(), dk.secrets().kbleIntro());
    assertArrayEquals(keys.kbleOobMaster(), dk.secrets().kbleOobMaster());
    assertNull(dk.secrets().kpersistent());
    assertNull(dk.receipt());
  }

  @Test
  void theLaterStepsMoveItOn() throws Exception {
    DkRecord stored =
        uncommitted(SystemKeys.derive(new byte[32])).withState(DkState.PAIRED_PENDING, LATER);
    assertEquals(DkState.PAIRED_PENDING, stored.state());
    assertEquals(BOUND, stored.created());
    assertEquals(LATER, stored.updated());
    byte[] kpersistent = Hex.decode("404142434445464748494A4B4C4D4E4F");
    DkRecord active = stored.withState(DkState.ACTIVE, LATER).withKpersistent(kpersistent, LATER);
    assertArrayEquals(kpersistent, active.secrets().kpersistent());
    assertArrayEquals(stored.secrets().ltss(), active.secrets().ltss());
    DkRecord receipt = active.withReceipt(Hex.decode("8008444B5249"), LATER);
    assertEquals(DkState.RECEIPT_VERIFIED, receipt.state());
    assertArrayEquals(Hex.decode("8008444B5249"), receipt.receipt());
  }

  @Test
  void itsTextNamesTheDkAndNoSecret() throws Exception {
    SystemKeys keys = SystemKeys.derive(new byte[32]);
    String text = uncommitted(keys).toString() + uncommitted(keys).secrets();
    assertEquals(
        "DkRecord[444B524947563031/" + Vectors.text("DK_identifier") + " UNCOMMITTED]",
        uncommitted(keys).toString());
    assertFalse(text.contains(Hex.encode(keys.ltss())), text);
    assertFalse(text.contains(Hex.encode(keys.kbleIntro())), text);
  }
}
