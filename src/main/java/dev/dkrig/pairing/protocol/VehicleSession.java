package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.ExchangeOperation;
import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.ChainVerifier;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.pki.VerifiedChain;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.AbortReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The vehicle's side of the contract's exchanges, role-neutral: one method per exchange, each
 * sending through the role's {@link Wire}, checking the answer and returning a typed value (or
 * throwing a {@link StepFailure} with the status word and the abort of §10.2). The owner pairing,
 * the conformance suite's scripted vehicle and the device tests' vehicle all use it.
 *
 * <p>A session knows what is selected and holds its secure channels; the protected exchange does
 * GET RESPONSE chaining itself (§6.5). Timers, polling, retries and recording stay with the role.
 */
public final class VehicleSession {
  /** How long one wait for a target lasts before timers are checked again. */
  public static final Duration POLL_SLICE = Duration.ofMillis(250);

  /** How long a wait for the device lasts before the operator is told what to do. */
  public static final Duration PROMPT_AFTER = Duration.ofSeconds(1);

  private final Wire wire;
  private Selected selected = Selected.NONE;
  private SecureChannel frameworkChannel;
  private SecureChannel appletChannel;

  public VehicleSession(Wire wire) {
    this.wire = wire;
  }

  public Wire wire() {
    return wire;
  }

  public Selected selected() {
    return selected;
  }

  /** Records what the device now has selected (after a SELECT answered, or an NFC reset). */
  public void selected(Selected now) {
    selected = now;
  }

  public SecureChannel frameworkChannel() {
    return frameworkChannel;
  }

  public SecureChannel appletChannel() {
    return appletChannel;
  }

  /** The channel of the selected application. */
  public SecureChannel channel() {
    return selected == Selected.APPLET ? appletChannel : frameworkChannel;
  }

  // ---------------------------------------------------------------- SELECT and versions (§3.3, §4)

  /**
   * SELECT framework answered 9000 with a well-formed response; the framework is then selected.
   * Transaction 2 (§6.2) answers without D4. The role's retries (D4 = 01, lost tags) stay with it.
   */
  public SelectFrameworkResponse selectFramework(boolean transaction2) {
    ResponseApdu response = wire.send(FrameworkCommands.selectFramework());
    Checks.check(response, "SELECT framework", null);
    selected = Selected.FRAMEWORK;
    return parseFrameworkSelect(response, transaction2);
  }

  /** A SELECT framework answer's data (§3.3.1); malformed is a FAIL with abort {@code 00}. */
  public static SelectFrameworkResponse parseFrameworkSelect(
      ResponseApdu response, boolean transaction2) {
    try {
      return transaction2
          ? SelectFrameworkResponse.parseTransaction2(response.data())
          : SelectFrameworkResponse.parse(response.data());
    } catch (CccException e) {
      throw StepFailure.fail(
          (transaction2
                  ? "transaction-2 SELECT response malformed: "
                  : "malformed SELECT response: ")
              + e.getMessage(),
          AbortReason.UNSPECIFIED);
    }
  }

  // ---------------------------------------------------------------- SPAKE2+ (§5)

  /** P2.3, first half: REQUEST answered 9000 with a valid X; M1 computed, VERIFY not sent. */
  public Spake2Pending request(Spake2Request request, Verifier verifier, VehicleSpake2 spake) {
    ResponseApdu response = wire.send(request.toApdu());
    Checks.check(response, "SPAKE2+ REQUEST", requestHint(response.sw()), AbortReason.UNSPECIFIED);
    try {
      byte[] x = Spake2Messages.parseRequestResponse(response.data());
      byte[] m1 = spake.receive(x, request.aad());
      return new Spake2Pending(request, verifier, spake, x, m1);
    } catch (CccException e) {
      throw Failures.ccc(
          "SPAKE2+ REQUEST response",
          e,
          CccException.Failure.INVALID_POINT,
          AbortReason.UNSPECIFIED);
    }
  }

  /** P2.3, second half: VERIFY answered 9000 with the right M2; the framework channel opens. */
  public SystemKeys verify(Spake2Pending pending) {
    return verify(pending, null);
  }

  /**
   * P2.3, second half, for a role that goes on after a wrong M2 on purpose (a vehicle misbehaving
   * by design): {@code wrongEvidence} hears why M2 is wrong, and the channel opens with the keys
   * derived all the same instead of the failure with abort {@code 09} (§5.4).
   */
  public SystemKeys verifyIgnoringEvidence(Spake2Pending pending, Consumer<String> wrongEvidence) {
    return verify(pending, wrongEvidence);
  }

  private SystemKeys verify(Spake2Pending pending, Consumer<String> wrongEvidence) {
    ResponseApdu response = wire.send(Spake2Messages.verify(pending.y(), pending.m1()));
    Checks.check(
        response,
        "SPAKE2+ VERIFY",
        response.sw() == StatusWord.REFERENCED_DATA
            ? ": the device rejected the vehicle evidence M1 (wrong pairing password?)"
            : "",
        AbortReason.UNSPECIFIED);
    SystemKeys keys;
    try {
      VehicleSpake2 spake = pending.spake();
      keys = confirm(spake, Spake2Messages.parseVerifyResponse(response.data()), wrongEvidence);
      wire.secret("spake2.w0", pending.verifier().w0());
      wire.secret("spake2.K_main", spake.keys().kMain());
      wire.secret("spake2.K1", spake.keys().k1());
      wire.secret("spake2.K2", spake.keys().k2());
      wire.secret("spake2.SK", spake.keys().sk());
      wire.secret("system.Kenc", keys.kenc());
      wire.secret("system.Kmac", keys.kmac());
      wire.secret("system.Krmac", keys.krmac());
      wire.secret("system.LTSS", keys.ltss());
      wire.secret("system.Kble_intro", keys.kbleIntro());
      wire.secret("system.Kble_oob_master", keys.kbleOobMaster());
    } catch (CccException e) {
      throw Failures.ccc(
          "SPAKE2+ VERIFY response", e, CccException.Failure.EVIDENCE, AbortReason.UNSPECIFIED);
    }
    frameworkChannel = SecureChannel.open(ChannelKind.FRAMEWORK, keys.frameworkKeys());
    return keys;
  }

  private static SystemKeys confirm(
      VehicleSpake2 spake, byte[] m2, Consumer<String> wrongEvidence) {
    try {
      return spake.confirm(m2);
    } catch (CccException e) {
      if (wrongEvidence == null || e.failure() != CccException.Failure.EVIDENCE) {
        throw e;
      }
      wrongEvidence.accept(e.getMessage());
      return spake.keys().systemKeys();
    }
  }

  private static String requestHint(int sw) {
    return switch (sw) {
      case StatusWord.NOT_READY -> ": the device has no pairing password";
      case StatusWord.REFERENCED_DATA -> ": the device refused the REQUEST data (versions, scrypt)";
      default -> "";
    };
  }

  // ---------------------------------------------------------------- secure messaging (§6)

  /**
   * A protected command in the selected application's channel, with GET RESPONSE while 61XX (§6.5);
   * returns the whole decrypted response plaintext. Anything but 9000/61XX with a valid R-MAC is a
   * FAIL and closes the channel.
   */
  public byte[] exchange(int ins, int p1, int p2, byte[] plaintext, String what) {
    return exchange(channel(), ins, p1, p2, plaintext, what);
  }

  /** As {@link #exchange(int, int, int, byte[], String)} in the given channel. */
  public byte[] exchange(
      SecureChannel channel, int ins, int p1, int p2, byte[] plaintext, String what) {
    Bytes.Builder collected = new Bytes.Builder();
    wire.plaintext(true, plaintext);
    CommandApdu command = protect(channel, ins, p1, p2, plaintext, what);
    int pieces = 0;
    while (true) {
      ResponseApdu response = wire.send(command);
      if (response.sw() != StatusWord.SUCCESS && !response.isMoreData()) {
        channel.close();
        throw StepFailure.fail(
            what + ": " + StatusWord.describe(response.sw()),
            response.sw(),
            AbortReason.UNSPECIFIED);
      }
      try {
        collected.add(channel.unprotectResponse(response));
      } catch (CccException e) {
        channel.close();
        throw StepFailure.fail(what + ": " + e.getMessage(), AbortReason.UNSPECIFIED);
      }
      pieces++;
      if (!response.isMoreData()) {
        byte[] whole = collected.build();
        wire.plaintext(false, whole);
        return whole;
      }
      command =
          protect(
              channel, Ins.GET_RESPONSE, 0x00, 0x00, new byte[0], what + " GET RESPONSE " + pieces);
    }
  }

  /** A plaintext wrapped into a protected command of the channel (§6.1). */
  public static CommandApdu protect(
      SecureChannel channel, int ins, int p1, int p2, byte[] plaintext, String what) {
    try {
      return channel.protectCommand(ins, p1, p2, plaintext);
    } catch (CccException e) {
      throw StepFailure.fail(what + ": " + e.getMessage(), AbortReason.UNSPECIFIED);
    }
  }

  /** A protected response's plaintext; a bad R-MAC or padding is a FAIL (§6.1). */
  public static byte[] unprotect(SecureChannel channel, ResponseApdu response, String what) {
    try {
      return channel.unprotectResponse(response);
    } catch (CccException e) {
      throw StepFailure.fail(what + ": " + e.getMessage(), AbortReason.UNSPECIFIED);
    }
  }

  // ---------------------------------------------------------------- framework (§7–§9)

  /** P2.4: the creation-data stream in WRITE DATA pieces, P1 = 80 on the last (§7.6). */
  public void writeStream(List<byte[]> pieces) {
    for (int i = 0; i < pieces.size(); i++) {
      boolean lastPiece = i == pieces.size() - 1;
      exchange(
          Ins.WRITE_DATA,
          lastPiece ? DkProfile.WRITE_DATA_P1_LAST : DkProfile.WRITE_DATA_P1_MORE,
          0x00,
          pieces.get(i),
          "WRITE DATA " + (i + 1));
    }
  }

  /** P2.7: the attestation stream {@code 5F5A ‖ 5F5F 00} in one WRITE DATA with P1 = 80 (§9). */
  public void writeAttestation(byte[] attestationStream) {
    exchange(
        Ins.WRITE_DATA, DkProfile.WRITE_DATA_P1_LAST, 0x00, attestationStream, "WRITE DATA 5F5A");
  }

  /** The attestation stream for an attestation already encoded (§7.7). */
  public static byte[] attestationStream(byte[] attestation) {
    return KeyCreationStream.encodeAttestationStream(attestation);
  }

  /** OP CONTROL FLOW {@code P1 P2}, answered {@code 90 00} alone (§3.3). */
  public void opControlFlow(int p1p2, String consequence) {
    ResponseApdu response = wire.send(FrameworkCommands.opControlFlow(p1p2));
    Checks.requireBareSuccess(
        response, "OP CONTROL FLOW " + Hex.u8(p1p2 >> 8) + " " + Hex.u8(p1p2 & 0xFF), consequence);
  }

  /** P2.8: OP CONTROL FLOW 11 11; the framework channel is closed (its keys dropped). */
  public void finaliseCreation() {
    opControlFlow(DkProfile.OP_FLOW_END, "; DK discarded");
    frameworkChannel.close();
    frameworkChannel = null;
    selected = Selected.NONE;
  }

  /** One GET DATA 7F26 (§8.2). */
  public KeyCreationStatus keyCreationStatus() {
    try {
      return KeyCreationStatus.parse(
          exchange(
              Ins.GET_DATA,
              0x00,
              0x00,
              Bytes.u16(DkProfile.TAG_KEY_CREATION_STATUS),
              "GET DATA 7F26"));
    } catch (CccException e) {
      throw StepFailure.fail("GET DATA 7F26: " + e.getMessage(), AbortReason.UNSPECIFIED);
    }
  }

  /**
   * P2.5: GET DATA 7F26 until the key is created; status 02 is a FAIL with abort {@code 0A}, the
   * role's wait bounds and paces the polls.
   */
  public KeyCreated awaitKeyCreated(KeyCreationWait wait) throws InterruptedException {
    int polls = 0;
    while (true) {
      polls++;
      KeyCreationStatus status = keyCreationStatus();
      if (status.status() == KeyCreationStatus.CREATED) {
        return new KeyCreated(new DkIdentifier(status.dkIdentifier().orElseThrow()), polls);
      }
      if (status.status() == KeyCreationStatus.FAILED) {
        throw StepFailure.fail(
            "the device reports key creation failed (7F26 status 02)",
            AbortReason.WRONG_CONFIGURATION);
      }
      if (wait.expired()) {
        throw wait.expiry(polls);
      }
      wait.pause();
    }
  }

  /** GET DATA of one object, with GET RESPONSE chaining (§6.5, §8.2). */
  public byte[] readObject(int tag) {
    return exchange(Ins.GET_DATA, 0x00, 0x00, Bytes.u16(tag), "GET DATA " + Hex.u16(tag));
  }

  /** P2.6: GET DATA 7F20 (H), 7F22 (E), 7F24 (F), in that order. */
  public Certificates readCertificates() {
    byte[] h = readObject(DkProfile.TAG_ENDPOINT_CERT);
    byte[] e = readObject(DkProfile.TAG_INSTANCE_CA_CERT);
    byte[] f = readObject(DkProfile.TAG_DEVICE_OEM_CA_CERT);
    return new Certificates(f, e, h);
  }

  /** P2.6.1: the F, E, H chain against the trust anchors (§8.5); abort {@code 0B} otherwise. */
  public static VerifiedChain verifyChain(
      ChainVerifier verifier, Certificates certificates, Instant now) {
    try {
      return verifier.verify(
          certificates.deviceOemCa(), certificates.instanceCa(), certificates.endpoint(), now);
    } catch (CccException e) {
      throw Failures.ccc(e, AbortReason.VERIFICATION_FAILED);
    }
  }

  // ---------------------------------------------------------------- applet (§10–§12)

  /** A SELECT applet answer's data (§3.3.2); malformed is a FAIL with abort {@code 00}. */
  public static SelectAppletResponse parseAppletSelect(ResponseApdu response) {
    try {
      return SelectAppletResponse.parse(response.data());
    } catch (CccException e) {
      throw StepFailure.fail(
          "malformed SELECT applet response: " + e.getMessage(), AbortReason.UNSPECIFIED);
    }
  }

  /** P3.2: the version agreed in P2.2 must be in the 5C list (§4); abort {@code 02} otherwise. */
  public static void requireAgreedVersion(SelectAppletResponse select, int agreed) {
    if (!select.appletVersions().contains(agreed)) {
      throw StepFailure.fail(
          "agreed applet version "
              + Hex.u16(agreed)
              + " not in the device's 5C list "
              + Versions.format(select.appletVersions()),
          AbortReason.NO_COMMON_APPLET_VERSION);
    }
  }

  /** SELECT applet answered 9000 (P3.1, P4.1); the applet is then selected. */
  public SelectAppletResponse selectApplet() {
    ResponseApdu response = wire.send(FrameworkCommands.selectApplet());
    Checks.check(response, "SELECT applet", null);
    selected = Selected.APPLET;
    return parseAppletSelect(response);
  }

  /** AUTH0 answered 9000 with a valid {@code 86}; the vehicle derives the keys (§11.2–11.3). */
  public TransactionPending auth0(
      Auth0Command command, EcKeyPair ephemeral, List<Integer> deviceVersions) {
    ResponseApdu response = wire.send(command.toApdu());
    Checks.check(response, "AUTH0", AbortReason.UNSPECIFIED);
    Auth0Response parsed;
    try {
      parsed = Auth0Response.parse(response.data());
    } catch (CccException e) {
      throw Failures.ccc(
          "AUTH0 response", e, CccException.Failure.INVALID_POINT, AbortReason.UNSPECIFIED);
    }
    TransactionContext context = TransactionContext.of(command, parsed, deviceVersions);
    return new TransactionPending(context, TransactionKeys.deriveByVehicle(context, ephemeral));
  }

  /**
   * AUTH1 signed by {@code vehicleKey}, answered 9000; the applet channel opens and the response
   * passes the checks of §11.6 (endpoint signature under {@code endpointKey}: abort {@code 0B}; key
   * slot: abort {@code 0A}).
   */
  public TransactionResult auth1(
      TransactionPending pending, EcKeyPair vehicleKey, ECPoint endpointKey, byte[] keySlot) {
    Auth1ResponsePlaintext plaintext = auth1Plaintext(pending, vehicleKey);
    try {
      plaintext.verifyEndpointSignature(pending.context(), endpointKey);
    } catch (CccException e) {
      throw Failures.ccc(e, AbortReason.VERIFICATION_FAILED);
    }
    try {
      plaintext.checkKeySlot(keySlot);
    } catch (CccException e) {
      throw Failures.ccc(e, AbortReason.WRONG_CONFIGURATION);
    }
    return new TransactionResult(plaintext, pending.keys());
  }

  /**
   * AUTH1 signed by {@code vehicleKey}, answered 9000 with a valid R-MAC; the applet channel opens
   * and the response plaintext is parsed (§11.4–11.5), not yet checked against a DK.
   */
  public Auth1ResponsePlaintext auth1Plaintext(TransactionPending pending, EcKeyPair vehicleKey) {
    Auth1Command command = Auth1Command.sign(pending.context(), vehicleKey);
    ResponseApdu response = wire.send(command.toApdu());
    Checks.check(
        response,
        "AUTH1",
        response.sw() == StatusWord.REFERENCED_DATA
            ? ": the device rejected the vehicle signature"
            : "",
        AbortReason.UNSPECIFIED);
    TransactionKeys keys = pending.keys();
    wire.secret("transaction.Kdh", keys.kdh());
    wire.secret("transaction.Kenc", keys.kenc());
    wire.secret("transaction.Kmac", keys.kmac());
    wire.secret("transaction.Krmac", keys.krmac());
    wire.secret("transaction.Kpersistent", keys.kpersistent());
    appletChannel = appletChannel(keys);
    try {
      byte[] decrypted = appletChannel.unprotectResponse(response);
      wire.plaintext(false, decrypted);
      return Auth1ResponsePlaintext.parse(decrypted);
    } catch (CccException e) {
      throw StepFailure.fail("AUTH1 response: " + e.getMessage(), AbortReason.UNSPECIFIED);
    }
  }

  /** The applet channel of a transaction's keys (§6.2). */
  public static SecureChannel appletChannel(TransactionKeys keys) {
    return SecureChannel.open(
        ChannelKind.APPLET, new SessionKeys(keys.kenc(), keys.kmac(), keys.krmac()));
  }

  /** CONTROL FLOW {@code 01 00} ends a good transaction (§11.8); the applet channel goes. */
  public void endTransaction() {
    ResponseApdu response =
        wire.send(FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_SUCCESS, 0x00));
    Checks.requireBareSuccess(response, "CONTROL FLOW 01 00", "");
    wipeApplet();
  }

  /** P4.2.2: EXCHANGE {@code E3 00}, the whole KTS_Response (§12.3). */
  public byte[] fetchReceipt() {
    return exchange(
        Ins.EXCHANGE, 0x00, 0x00, new ExchangeOperation.GetReceipt().encode(), "EXCHANGE E3 00");
  }

  // ---------------------------------------------------------------- aborts and the end

  /**
   * The abort for what is selected (§10.2), which then counts as deselected; empty when nothing is
   * selected. The role sends it and ignores its outcome.
   */
  public Optional<CommandApdu> takeAbort(AbortReason reason) {
    CommandApdu abort = selected.abort(reason.code());
    selected = Selected.NONE;
    return Optional.ofNullable(abort);
  }

  /** Ends both sessions: the channels go and their keys are zeroed. */
  public void wipeChannels() {
    if (frameworkChannel != null) {
      frameworkChannel.wipe();
      frameworkChannel = null;
    }
    wipeApplet();
  }

  /** The applet channel goes and its keys are zeroed. */
  public void wipeApplet() {
    if (appletChannel != null) {
      appletChannel.wipe();
      appletChannel = null;
    }
  }
}
