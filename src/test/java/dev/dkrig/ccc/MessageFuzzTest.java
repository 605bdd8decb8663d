package dev.dkrig.ccc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.DeviceConfiguration;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.kcd.MailboxMapping;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Vectors;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Issue 9: the message codecs both roles apply to what the other side sent (§3–§12): the vehicle's
 * handlers of plain responses and of decrypted plaintexts, and the device's parsers of commands and
 * of the creation-data stream, and the signature checks behind them. The first input byte picks the
 * parser (modulo their number), the rest is the message. Each parser returns or refuses with {@link
 * CccException} (or {@link Iso7816Exception} for the command APDU framing the device checks before
 * any codec); nothing else. Behind secure messaging the fuzzer could not reach these parsers
 * through a channel, so they are fuzzed here directly; {@code VehicleResponseFuzzTest} and {@code
 * VirtualDeviceFuzzTest} drive the roles end to end.
 */
class MessageFuzzTest {
  private static final byte[] VEHICLE_IDENTIFIER = Hex.decode("444B524947563031");

  /** The parsers, in a fixed order: the committed inputs' first byte depends on it. */
  static final List<Consumer<byte[]>> PARSERS =
      List.of(
          SelectFrameworkResponse::parse,
          SelectFrameworkResponse::parseTransaction2,
          SelectAppletResponse::parse,
          Spake2Messages::parseRequestResponse,
          Spake2Messages::parseVerifyResponse,
          Auth0Response::parse,
          Auth1ResponsePlaintext::parse,
          KeyCreationStatus::parse,
          KtsResponse::parse,
          MessageFuzzTest::verifyReceipt,
          ReceiptPlaintext::parse,
          Spake2Request::parse,
          Spake2Messages::parseVerify,
          bytes -> Auth0Command.parse(CommandApdu.parse(bytes)),
          bytes -> Auth1Command.parse(CommandApdu.parse(bytes)),
          EndpointCreationData::parse,
          DeviceConfiguration::parse,
          MailboxMapping::parse,
          KeyCreationStream::parse,
          KeyCreationStream::parseAttestationStream,
          VehicleAttestation::parse,
          MessageFuzzTest::auth1ResponseChecks,
          MessageFuzzTest::auth1CommandCheck,
          MessageFuzzTest::attestationCheck);

  /** The phase-3 transaction of T1 (§17.4.9): AUTH0 and its answer, exchange 20 of §17.4.6. */
  private static final TransactionContext T1_PHASE3 = phase3Context();

  private static TransactionContext phase3Context() {
    Vectors.Exchange auth0 = Vectors.transcript().get(19);
    return TransactionContext.of(
        Auth0Command.parse(CommandApdu.parse(auth0.command())),
        Auth0Response.parse(ResponseApdu.parse(auth0.response()).data()),
        DkProfile.DEVICE_APPLET_VERSIONS);
  }

  /** P3.3 after the R-MAC (§11.6): parse, endpoint signature, key slot. */
  private static void auth1ResponseChecks(byte[] plaintext) {
    Auth1ResponsePlaintext parsed = Auth1ResponsePlaintext.parse(plaintext);
    parsed.verifyEndpointSignature(T1_PHASE3, P256.decodePoint(Vectors.hex("key.endpoint.PK")));
    parsed.checkKeySlot(Hex.decode("0000000000000001"));
    parsed.receiptAvailable();
  }

  /** The device's AUTH1 check (§11.4). */
  private static void auth1CommandCheck(byte[] command) {
    Auth1Command.parse(CommandApdu.parse(command))
        .verify(T1_PHASE3, P256.decodePoint(Vectors.hex("key.vehicle.PK")));
  }

  /** The simulated KTS's 5F5A check (§9). */
  private static void attestationCheck(byte[] value) {
    VehicleAttestation.parse(value)
        .verify(
            P256.decodePoint(Vectors.hex("key.vehicle.PK")),
            VEHICLE_IDENTIFIER,
            Vectors.hex("DK_identifier"));
  }

  /** P4.2.3 with the T1 keys (§12.4). */
  private static void verifyReceipt(byte[] bytes) {
    KtsResponse.verifyReceipt(
        bytes,
        P256.decodePoint(Vectors.hex("key.zz2.PK")),
        EcKeyPair.fromPrivate(new java.math.BigInteger(1, Vectors.hex("key.devx_enc.SK"))),
        VEHICLE_IDENTIFIER,
        Vectors.hex("DK_identifier"));
  }

  @FuzzTest(maxDuration = "30s")
  void messages(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Consumer<byte[]> parser = PARSERS.get((input[0] & 0xFF) % PARSERS.size());
    try {
      parser.accept(Arrays.copyOfRange(input, 1, input.length));
    } catch (CccException | Iso7816Exception refused) {
      // The contract's answer to a bad message: FAIL with an abort, or a device status word.
    }
  }
}
