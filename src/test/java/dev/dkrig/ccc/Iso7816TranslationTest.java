package dev.dkrig.ccc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.ExchangeOperation;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.DeviceConfiguration;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.kcd.MailboxMapping;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the BER-TLV and APDU parsers moved below {@code ccc} and throw {@link
 * Iso7816Exception}; every ccc codec that uses them still refuses with {@link CccException}
 * MALFORMED and the ISO layer's message, word for word, so the step results and abort codes the
 * pairing, the device and the suite pick from it stay what they were.
 */
class Iso7816TranslationTest {

  /** A TLV that declares three bytes and carries two (§0). */
  private static final byte[] TRUNCATED = Hex.decode("5A03AABB");

  private static Map<String, Consumer<byte[]>> codecs() {
    Map<String, Consumer<byte[]>> codecs = new LinkedHashMap<>();
    codecs.put("SelectFrameworkResponse.parse", SelectFrameworkResponse::parse);
    codecs.put(
        "SelectFrameworkResponse.parseTransaction2", SelectFrameworkResponse::parseTransaction2);
    codecs.put("SelectAppletResponse.parse", SelectAppletResponse::parse);
    codecs.put("Spake2Request.parse", Spake2Request::parse);
    codecs.put("Spake2Messages.parseRequestResponse", Spake2Messages::parseRequestResponse);
    codecs.put("Spake2Messages.parseVerify", Spake2Messages::parseVerify);
    codecs.put("Spake2Messages.parseVerifyResponse", Spake2Messages::parseVerifyResponse);
    codecs.put("KeyCreationStatus.parse", KeyCreationStatus::parse);
    codecs.put("Auth0Command.parse", b -> Auth0Command.parse(CommandApdu.of(0x80, 0x80, 0, 0, b)));
    codecs.put("Auth0Response.parse", Auth0Response::parse);
    codecs.put("Auth1Command.parse", b -> Auth1Command.parse(CommandApdu.of(0x80, 0x81, 0, 0, b)));
    codecs.put("Auth1ResponsePlaintext.parse", Auth1ResponsePlaintext::parse);
    codecs.put("ExchangeOperation.parse", ExchangeOperation::parse);
    codecs.put("VehicleAttestation.parseTlv", VehicleAttestation::parseTlv);
    codecs.put("KeyCreationStream.parse", KeyCreationStream::parse);
    codecs.put(
        "KeyCreationStream.parseAttestationStream", KeyCreationStream::parseAttestationStream);
    codecs.put("DeviceConfiguration.parse", DeviceConfiguration::parse);
    codecs.put("MailboxMapping.parse", MailboxMapping::parse);
    codecs.put("EndpointCreationData.parse", EndpointCreationData::parse);
    return codecs;
  }

  @Test
  void everyCodecRefusesABadTlvAsMalformedWithTheIsoMessage() {
    Iso7816Exception iso = assertThrows(Iso7816Exception.class, () -> Tlv.parseAll(TRUNCATED));
    assertEquals("TLV 5A declares 3 bytes, 2 remain", iso.getMessage());
    codecs()
        .forEach(
            (name, codec) -> {
              CccException e =
                  assertThrows(CccException.class, () -> codec.accept(TRUNCATED), name);
              assertEquals(CccException.Failure.MALFORMED, e.failure(), name);
              assertEquals(iso.getMessage(), e.getMessage(), name);
              assertEquals(Iso7816Exception.class, e.getCause().getClass(), name);
            });
  }

  @Test
  void aMissingRequiredTagKeepsItsMessage() {
    CccException e =
        assertThrows(CccException.class, () -> SelectAppletResponse.parse(Hex.decode("5A0101")));
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertEquals("SELECT applet response: tag 5C missing", e.getMessage());
  }

  /** §12.4 step 5: a receipt whose TLVs do not parse is a MISMATCH (abort 0A), as before. */
  @Test
  void aReceiptWithBadTlvsStaysAMismatch() {
    CccException e = assertThrows(CccException.class, () -> ReceiptPlaintext.parse(TRUNCATED));
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertEquals("§12.4 step 5: TLV 5A declares 3 bytes, 2 remain", e.getMessage());
  }

  @Test
  void theTranslationKeepsTheCause() {
    Iso7816Exception iso = new Iso7816Exception("TLV 5A has no length byte");
    CccException e = CccException.malformed(iso);
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertEquals("TLV 5A has no length byte", e.getMessage());
    assertSame(iso, e.getCause());
  }
}
