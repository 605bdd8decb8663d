package dev.dkrig.conformance;

import dev.dkrig.ccc.Bytes;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CommandApdu;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.ResponseApdu;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
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
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.random.Draws;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The vehicle toolkit of the scenarios: the conforming steps of owner pairing and of a standard
 * transaction, one method each, built from the same {@code ccc} codecs and crypto as {@link
 * dev.dkrig.pairing.OwnerPairing}, but with every intermediate (the SPAKE2+ share and evidence, the
 * secure channel, the creation-data pieces, the transaction keys) in the scenario's hands so it can
 * deviate at any point. Methods without a {@link StepContext} are set-up steps of their own; the
 * others work inside the caller's step.
 */
public final class ScriptedVehicle {
  private static final Duration POLL_SLICE = Duration.ofMillis(250);
  private static final Duration PROMPT_AFTER = Duration.ofSeconds(1);

  private enum Selected {
    NONE,
    FRAMEWORK,
    APPLET
  }

  private final ScenarioRun run;
  private final ScenarioContext context;
  private final VehicleSettings settings;
  private Selected selected = Selected.NONE;
  private boolean polling;
  private boolean targetSeen;

  ScriptedVehicle(ScenarioRun run, ScenarioContext context) {
    this.run = run;
    this.context = context;
    this.settings = context.vehicle();
  }

  // ---------------------------------------------------------------- the field

  /**
   * Waits for the device to be activated in the field. The first wait of a scenario lasts up to
   * T_PairingModeTimeout (an operator may have to present the phone), later ones T_TxGap.
   */
  void awaitDevice(StepContext step) throws InterruptedException {
    if (!polling) {
      try {
        context.transport().startPolling();
      } catch (TransportException e) {
        throw ScenarioStop.error("reader unavailable: " + e.getMessage(), e);
      }
      polling = true;
    }
    Duration limit = context.timer(targetSeen ? TimerName.T_TxGap : TimerName.T_PairingModeTimeout);
    Instant start = context.clock().now();
    Instant deadline = start.plus(limit);
    boolean told = false;
    while (true) {
      boolean found;
      try {
        found = context.transport().awaitTarget(POLL_SLICE);
      } catch (TransportException e) {
        throw ScenarioStop.error("polling: " + e.kind().label() + ": " + e.getMessage(), e);
      }
      if (found) {
        targetSeen = true;
        if (told) {
          context.listener().waitingOver();
        }
        return;
      }
      Instant now = context.clock().now();
      if (!now.isBefore(deadline)) {
        throw ScenarioStop.error(
            "no device answered on the pad within "
                + Durations.compact(limit)
                + " ("
                + step.name()
                + ")",
            null);
      }
      if (!told && Duration.between(start, now).compareTo(PROMPT_AFTER) >= 0) {
        context.listener().waiting("place the device under test on the pad and keep it there");
        told = true;
      }
    }
  }

  /** The contract's NFC reset (§3.2): deactivation, then polling again for the device. */
  void reselect(StepContext step) throws InterruptedException {
    nfcReset();
    awaitDevice(step);
  }

  void nfcReset() {
    try {
      context.transport().reset();
    } catch (TransportException e) {
      // The next poll finds out whether the device is still there.
    }
    selected = Selected.NONE;
  }

  boolean anythingSelected() {
    return selected != Selected.NONE;
  }

  void appletSelected() {
    selected = Selected.APPLET;
  }

  /** The clean pairing drives the transport itself and stops polling at its end. */
  void forgetSession() {
    selected = Selected.NONE;
  }

  void afterPairing() {
    selected = Selected.NONE;
    polling = false;
    targetSeen = true;
  }

  String abortHex(int code) {
    return selected == Selected.APPLET
        ? Hex.encode(FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_FAILURE, code).header())
        : Hex.encode(FrameworkCommands.abort(code).header());
  }

  /** OP CONTROL FLOW {@code 12 XX} or applet CONTROL FLOW {@code 00 XX} to what is selected. */
  ResponseApdu sendAbort(StepContext step, int code) {
    CommandApdu abort =
        selected == Selected.APPLET
            ? FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_FAILURE, code)
            : FrameworkCommands.abort(code);
    selected = Selected.NONE;
    return step.send(abort);
  }

  // ---------------------------------------------------------------- framework, transaction 1

  /** A framework session as the scenario builds it up (§2.2). */
  public static final class Framework {
    final SelectFrameworkResponse select;
    final int spake2Version;
    final List<Integer> appletVersions;
    Spake2Request request;
    VehicleSpake2 spake;
    byte[] x;
    byte[] m1;
    SystemKeys keys;
    SecureChannel channel;
    byte[] endpointCertificate;

    Framework(SelectFrameworkResponse select, int spake2Version, List<Integer> appletVersions) {
      this.select = select;
      this.spake2Version = spake2Version;
      this.appletVersions = List.copyOf(appletVersions);
    }

    /** The agreed DK applet version: the REQUEST's first 5C entry (§4). */
    int agreedVersion() {
      return appletVersions.get(0);
    }

    /** The vehicle share Y of VERIFY. */
    byte[] y() {
      return spake.share();
    }

    SecureChannel channel() {
      return channel;
    }
  }

  /** P2.1, P2.1a, P2.2: polls, SELECTs the framework (9000, D4 = 02) and negotiates versions. */
  public Framework openFramework() throws InterruptedException {
    return run.step(
        StepKind.SETUP,
        "SELECT framework and version negotiation",
        step -> {
          awaitDevice(step);
          Framework session = selectFramework(step, false);
          step.detail(
              "9000, D4 = 02; SPAKE2+ "
                  + Hex.u16(session.spake2Version)
                  + ", applet versions "
                  + Versions.format(session.appletVersions));
          return session;
        });
  }

  Framework selectFramework(StepContext step, boolean transaction2) {
    ResponseApdu response =
        step.sendExpectingSuccess(FrameworkCommands.selectFramework(), "SELECT framework");
    selected = Selected.FRAMEWORK;
    SelectFrameworkResponse select;
    try {
      select =
          transaction2
              ? SelectFrameworkResponse.parseTransaction2(response.data())
              : SelectFrameworkResponse.parse(response.data());
    } catch (CccException e) {
      throw step.stop("SELECT framework response malformed: " + e.getMessage() + " (§3.3.1)");
    }
    if (!transaction2 && !select.ready()) {
      throw step.stop(
          "SELECT framework answered D4 = "
              + Hex.u8(select.state())
              + ": the device has no pairing password; enter it on the device first");
    }
    Optional<Integer> spake2 =
        Versions.highestCommon(settings.spake2Versions(), select.spake2Versions());
    List<Integer> applets =
        Versions.appletListForRequest(settings.appletVersions(), select.appletVersions());
    if (spake2.isEmpty() || applets.isEmpty()) {
      throw step.stop(
          "no common version with the device: 5A "
              + Versions.format(select.spake2Versions())
              + ", 5C "
              + Versions.format(select.appletVersions()));
    }
    return new Framework(select, spake2.get(), applets);
  }

  /** The conforming REQUEST of a session (§3.3, §4). */
  Spake2Request conformingRequest(Framework session) {
    return new Spake2Request(
        session.spake2Version,
        session.appletVersions,
        context.verifier().scrypt(),
        settings.brand());
  }

  /** P2.3, first half: REQUEST, X valid; prepares Y and M1 without sending VERIFY. */
  public void request(Framework session) throws InterruptedException {
    run.step(
        StepKind.SETUP,
        "SPAKE2+ REQUEST",
        step -> {
          Spake2Request request = conformingRequest(session);
          ResponseApdu response = step.sendExpectingSuccess(request.toApdu(), "SPAKE2+ REQUEST");
          VehicleSpake2 spake =
              VehicleSpake2.withScalar(
                  context.verifier(), context.draws().scalar(Draws.Names.SPAKE2_Y));
          try {
            byte[] x = Spake2Messages.parseRequestResponse(response.data());
            session.m1 = spake.receive(x, request.aad());
            session.x = x;
          } catch (CccException e) {
            throw step.stop("SPAKE2+ REQUEST response: " + e.getMessage() + " (§5.3)");
          }
          session.request = request;
          session.spake = spake;
          step.detail("9000, X valid (§5.3)");
          return null;
        });
  }

  /** P2.3, second half: VERIFY with the right Y and M1; M2 checked; the framework channel opens. */
  public void verify(Framework session) throws InterruptedException {
    run.step(
        StepKind.SETUP,
        "SPAKE2+ VERIFY",
        step -> {
          ResponseApdu response =
              step.sendExpectingSuccess(
                  Spake2Messages.verify(session.y(), session.m1), "SPAKE2+ VERIFY");
          try {
            session.keys =
                session.spake.confirm(Spake2Messages.parseVerifyResponse(response.data()));
          } catch (CccException e) {
            throw step.stop("SPAKE2+ VERIFY response: " + e.getMessage() + " (§5.4)");
          }
          session.channel = SecureChannel.open(ChannelKind.FRAMEWORK, session.keys.frameworkKeys());
          step.detail("9000, M2 correct (§5.4): framework channel open");
          return null;
        });
  }

  /** SELECT framework, REQUEST and VERIFY: a session in state {@code SECURE}. */
  public Framework secureSession() throws InterruptedException {
    Framework session = openFramework();
    request(session);
    verify(session);
    return session;
  }

  /** The transaction-1 stream of §7.1 from the profile, for the session's agreed version. */
  byte[] creationStream(Framework session) {
    return settings.creationStream(settings.endpointCreationData(session.agreedVersion())).encode();
  }

  /** The stream cut into 239-byte WRITE DATA pieces (§7.6). */
  List<byte[]> creationPieces(Framework session) {
    return KeyCreationStream.chunks(creationStream(session));
  }

  /** P2.4: the whole transaction-1 stream, each piece answered 9000 with a valid R-MAC. */
  public void sendCreationData(Framework session) throws InterruptedException {
    List<byte[]> pieces = creationPieces(session);
    sendPieces(session, pieces, pieces.size(), true, "WRITE DATA: the creation-data stream");
  }

  /**
   * Sends the first {@code count} pieces; the last one sent carries P1 = 80 when {@code closing}.
   */
  void sendPieces(Framework session, List<byte[]> pieces, int count, boolean closing, String name)
      throws InterruptedException {
    run.step(
        StepKind.SETUP,
        name,
        step -> {
          int bytes = 0;
          for (int i = 0; i < count; i++) {
            boolean last = closing && i == count - 1;
            protectedExchange(
                step,
                session.channel,
                Ins.WRITE_DATA,
                last ? DkProfile.WRITE_DATA_P1_LAST : DkProfile.WRITE_DATA_P1_MORE,
                pieces.get(i),
                "WRITE DATA " + (i + 1));
            bytes += pieces.get(i).length;
          }
          step.detail(
              count
                  + " WRITE DATA, "
                  + bytes
                  + " bytes, P1 = "
                  + (closing ? "80 on the last" : "00 throughout")
                  + ", each 9000 with a valid R-MAC");
          return null;
        });
  }

  /** P2.5, first half: OP CONTROL FLOW {@code 10 01} answered 9000 (state {@code AWAIT_TX2}). */
  public void createKey(Framework session) throws InterruptedException {
    run.step(
        StepKind.SETUP,
        "OP CONTROL FLOW 10 01",
        step -> {
          step.sendExpectingSuccess(
              FrameworkCommands.opControlFlow(DkProfile.OP_FLOW_CREATE), "OP CONTROL FLOW 10 01");
          step.detail("9000: the device creates the key (§8.1)");
          return null;
        });
  }

  /**
   * P2.5, second half: NFC reset, SELECT framework again (transaction 2, keys kept, §6.2), and GET
   * DATA 7F26 until the key is created (§8.2).
   */
  public void startTransaction2(Framework session) throws InterruptedException {
    run.step(
        StepKind.SETUP,
        "transaction 2: NFC reset, SELECT framework, GET DATA 7F26",
        step -> {
          reselect(step);
          Framework again = selectFramework(step, true);
          if (again.spake2Version != session.spake2Version
              || !again.appletVersions.equals(session.appletVersions)) {
            throw step.stop("transaction-2 SELECT negotiates differently (§4)");
          }
          Instant deadline = context.clock().now().plus(context.timer(TimerName.T_KeyCreation));
          while (true) {
            KeyCreationStatus status;
            try {
              status =
                  KeyCreationStatus.parse(
                      protectedExchange(
                          step,
                          session.channel,
                          Ins.GET_DATA,
                          0x00,
                          Bytes.u16(DkProfile.TAG_KEY_CREATION_STATUS),
                          "GET DATA 7F26"));
            } catch (CccException e) {
              throw step.stop("GET DATA 7F26: " + e.getMessage());
            }
            if (status.status() == KeyCreationStatus.CREATED) {
              step.detail(
                  "SELECT 9000; key created, DK identifier "
                      + Hex.encode(status.dkIdentifier().orElseThrow()));
              return null;
            }
            if (status.status() == KeyCreationStatus.FAILED
                || !context.clock().now().isBefore(deadline)) {
              throw step.stop("the device did not create the key (7F26 status " + status + ")");
            }
            context.clock().sleep(context.timer(TimerName.T_StatusPoll));
          }
        });
  }

  /** P2.6 for one object: GET DATA with GET RESPONSE while 61XX (§6.5, §8.2). */
  public byte[] readObject(Framework session, int tag) throws InterruptedException {
    return run.step(
        StepKind.SETUP,
        "GET DATA " + Hex.u16(tag),
        step -> {
          byte[] value =
              protectedExchange(
                  step,
                  session.channel,
                  Ins.GET_DATA,
                  0x00,
                  Bytes.u16(tag),
                  "GET DATA " + Hex.u16(tag));
          if (tag == DkProfile.TAG_ENDPOINT_CERT) {
            session.endpointCertificate = value;
          }
          step.detail(value.length + " bytes, every piece 9000 with a valid R-MAC");
          return value;
        });
  }

  /** The transaction-2 stream {@code 5F5A ‖ 5F5F 00} for the endpoint of H (§7.7, §9). */
  byte[] attestationStream(Framework session) {
    byte[] endpoint = CccCertificate.parse(session.endpointCertificate).publicKey();
    VehicleAttestation.Signed attestation =
        VehicleAttestation.forEndpoint(
                settings.vehicleIdentifier(), endpoint, context.clock().now().getEpochSecond())
            .sign(settings.vehicleKey());
    return KeyCreationStream.encodeAttestationStream(attestation.encode());
  }

  /** Wraps a plaintext into a protected command of the channel (§6.1). */
  CommandApdu protect(SecureChannel channel, int ins, int p1, int p2, byte[] plaintext) {
    try {
      return channel.protectCommand(ins, p1, p2, plaintext);
    } catch (CccException e) {
      throw ScenarioStop.fail("secure channel: " + e.getMessage());
    }
  }

  /**
   * A protected command answered 9000 with a valid R-MAC, GET RESPONSE while 61XX; anything else
   * ends the scenario (a set-up step was refused).
   */
  byte[] protectedExchange(
      StepContext step, SecureChannel channel, int ins, int p1, byte[] plaintext, String what) {
    Bytes.Builder collected = new Bytes.Builder();
    CommandApdu command = protect(channel, ins, p1, 0x00, plaintext);
    while (true) {
      ResponseApdu response = step.send(command);
      if (response.sw() != StatusWord.SUCCESS && !response.isMoreData()) {
        throw step.stop(
            what + " answered " + StatusWord.describe(response.sw()) + ", expected 9000");
      }
      collected.add(unprotect(step, channel, response, what));
      if (!response.isMoreData()) {
        return collected.build();
      }
      command = protect(channel, Ins.GET_RESPONSE, 0x00, 0x00, new byte[0]);
    }
  }

  byte[] unprotect(StepContext step, SecureChannel channel, ResponseApdu response, String what) {
    try {
      return channel.unprotectResponse(response);
    } catch (CccException e) {
      throw step.stop(what + ": " + e.getMessage() + " (§6.1)");
    }
  }

  // ---------------------------------------------------------------- applet, standard transaction

  /** The applet as selected, with the version the transaction uses (§4). */
  record Applet(SelectAppletResponse select, int agreedVersion) {}

  /**
   * AUTH0 as sent and answered: the context and the vehicle's transaction keys exist only when the
   * device answered 9000 with a valid {@code 86}.
   */
  record Auth0Outcome(
      Applet applet,
      Auth0Command command,
      ResponseApdu response,
      EcKeyPair ephemeral,
      Optional<TransactionContext> context,
      Optional<TransactionKeys> keys) {}

  /** The highest applet version the vehicle supports, when none was agreed yet. */
  int highestAppletVersion() {
    return settings.appletVersions().stream().max(Integer::compare).orElseThrow();
  }

  /** SELECT applet answered 9000, the agreed version in its 5C list (P3.1, P3.2). */
  Applet selectApplet(StepContext step, int agreedVersion) {
    ResponseApdu response =
        step.sendExpectingSuccess(FrameworkCommands.selectApplet(), "SELECT applet");
    selected = Selected.APPLET;
    return parseAppletSelect(step, response, agreedVersion);
  }

  Applet parseAppletSelect(StepContext step, ResponseApdu response, int agreedVersion) {
    SelectAppletResponse select;
    try {
      select = SelectAppletResponse.parse(response.data());
    } catch (CccException e) {
      throw step.stop("SELECT applet response malformed: " + e.getMessage());
    }
    if (!select.appletVersions().contains(agreedVersion)) {
      throw step.stop(
          "SELECT applet lists "
              + Versions.format(select.appletVersions())
              + ", not the agreed version "
              + Hex.u16(agreedVersion)
              + " (§4)");
    }
    return new Applet(select, agreedVersion);
  }

  /** AUTH0 with a fresh ephemeral key and transaction identifier (§11.2). */
  Auth0Outcome auth0(StepContext step, Applet applet, boolean requireSuccess) {
    EcKeyPair ephemeral =
        EcKeyPair.fromPrivate(context.draws().scalar(Draws.Names.VEHICLE_EPHEMERAL));
    byte[] txid = context.draws().bytes(Draws.Names.TRANSACTION_ID, 16);
    Auth0Command command =
        new Auth0Command(
            applet.agreedVersion(), ephemeral.publicBytes(), txid, settings.vehicleIdentifier());
    return auth0(step, applet, command, ephemeral, requireSuccess);
  }

  /** AUTH0 as given (a replay sends an earlier one again). */
  Auth0Outcome auth0(
      StepContext step,
      Applet applet,
      Auth0Command command,
      EcKeyPair ephemeral,
      boolean requireSuccess) {
    ResponseApdu response =
        requireSuccess
            ? step.sendExpectingSuccess(command.toApdu(), "AUTH0")
            : step.send(command.toApdu());
    if (response.sw() != StatusWord.SUCCESS) {
      return new Auth0Outcome(
          applet, command, response, ephemeral, Optional.empty(), Optional.empty());
    }
    Auth0Response parsed;
    try {
      parsed = Auth0Response.parse(response.data());
    } catch (CccException e) {
      throw step.stop("AUTH0 response: " + e.getMessage() + " (§11.2)");
    }
    TransactionContext transaction =
        TransactionContext.of(command, parsed, applet.select().appletVersions());
    return new Auth0Outcome(
        applet,
        command,
        response,
        ephemeral,
        Optional.of(transaction),
        Optional.of(TransactionKeys.deriveByVehicle(transaction, ephemeral)));
  }

  /** The correct AUTH1 of a transaction: the vehicle signature of §11.4. */
  Auth1Command signAuth1(Auth0Outcome auth0) {
    return Auth1Command.sign(auth0.context().orElseThrow(), settings.vehicleKey());
  }

  /** The applet channel of the transaction's keys; the AUTH1 response uses c = 00 (§6.2). */
  static SecureChannel appletChannel(TransactionKeys keys) {
    return SecureChannel.open(
        ChannelKind.APPLET, new SessionKeys(keys.kenc(), keys.kmac(), keys.krmac()));
  }

  /**
   * AUTH1 and the checks of §11.6 against a DK the suite knows: 9000, R-MAC, the endpoint signature
   * under its key and the key slot. Any deviation ends the step with a FAIL.
   */
  Auth1ResponsePlaintext auth1(StepContext step, Auth0Outcome auth0, DeviceKnowledge.KnownKey key) {
    Auth1ResponsePlaintext plaintext = sendAuth1(step, auth0);
    try {
      plaintext.verifyEndpointSignature(
          auth0.context().orElseThrow(), P256.decodePoint(key.endpointPublicKey()));
      plaintext.checkKeySlot(settings.creation().initialKeySlot());
    } catch (CccException e) {
      throw step.stop(e.getMessage() + " (§11.6)");
    }
    return plaintext;
  }

  /** Whether the AUTH1 response is signed by the known DK's endpoint key (§11.6 step 3). */
  boolean auth1SignedBy(StepContext step, Auth0Outcome auth0, DeviceKnowledge.KnownKey key) {
    Auth1ResponsePlaintext plaintext = sendAuth1(step, auth0);
    try {
      plaintext.verifyEndpointSignature(
          auth0.context().orElseThrow(), P256.decodePoint(key.endpointPublicKey()));
      return true;
    } catch (CccException e) {
      return false;
    }
  }

  private Auth1ResponsePlaintext sendAuth1(StepContext step, Auth0Outcome auth0) {
    ResponseApdu response = step.sendExpectingSuccess(signAuth1(auth0).toApdu(), "AUTH1");
    SecureChannel channel = appletChannel(auth0.keys().orElseThrow());
    byte[] decrypted = unprotect(step, channel, response, "AUTH1 response");
    try {
      return Auth1ResponsePlaintext.parse(decrypted);
    } catch (CccException e) {
      throw step.stop("AUTH1 response: " + e.getMessage() + " (§11.5)");
    }
  }

  /**
   * CONTROL FLOW ends the transaction (§11.8): {@code 01 00} after a good one (answered 9000), else
   * {@code 00 00}, which leaves the DK as it is.
   */
  void endTransaction(StepContext step, boolean success) {
    if (success) {
      step.sendExpectingSuccess(
          FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_SUCCESS, 0x00),
          "CONTROL FLOW 01 00");
    } else {
      step.send(FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_FAILURE, 0x00));
    }
    selected = Selected.NONE;
  }

  /** The vehicle's own list for scenarios that need one version to stand for "any". */
  List<Integer> appletVersions() {
    return new ArrayList<>(settings.appletVersions());
  }

  VehicleSettings settings() {
    return settings;
  }
}
