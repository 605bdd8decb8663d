package dev.dkrig.conformance;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.protocol.KeyCreated;
import dev.dkrig.pairing.protocol.KeyCreationWait;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.Spake2Pending;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.TransactionResult;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.random.Draws;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The vehicle toolkit of the scenarios: the conforming steps of owner pairing and of a standard
 * transaction, one method each, on the same protocol kernel ({@link VehicleSession}) as {@link
 * dev.dkrig.pairing.OwnerPairing}, but with every intermediate (the SPAKE2+ share and evidence, the
 * secure channel, the creation-data pieces, the transaction keys) in the scenario's hands so it can
 * deviate at any point: a scenario builds its deviating command from the kernel's pieces ({@link
 * #protect}, the {@code ccc} codecs) and sends it itself. Methods without a {@link StepContext} are
 * set-up steps of their own; the others work inside the caller's step.
 *
 * <p>The kernel's exchanges go through the step that runs them (recorded under its name); a
 * kernel's {@link StepFailure} ends the scenario, a refusal in the suite's words ({@code X answered
 * 6A88 (...), expected 9000}).
 */
public final class ScriptedVehicle {
  private final ScenarioRun run;
  private final ScenarioContext context;
  private final VehicleSettings settings;
  private final VehicleSession kernel = new VehicleSession(this::sendInStep);
  private StepContext step;
  private ResponseApdu lastAnswer;
  private boolean polling;
  private boolean targetSeen;

  ScriptedVehicle(ScenarioRun run, ScenarioContext context) {
    this.run = run;
    this.context = context;
    this.settings = context.vehicle();
  }

  // ---------------------------------------------------------------- the kernel, inside a step

  /** The kernel, its exchanges sent (and recorded) through {@code step}. */
  private VehicleSession in(StepContext step) {
    this.step = step;
    return kernel;
  }

  private ResponseApdu sendInStep(CommandApdu command) {
    lastAnswer = step.send(command);
    return lastAnswer;
  }

  /** A kernel exchange of a set-up step; its failure ends the scenario ({@link #stop}). */
  private <T> T setUp(String what, String section, Supplier<T> exchange) {
    try {
      return exchange.get();
    } catch (StepFailure failure) {
      throw stop(failure, what, section);
    }
  }

  /**
   * A kernel failure in the suite's words: a refusal is {@code what answered SW, expected 9000},
   * any other FAIL the kernel's cause with the contract section, an ERROR as it stands.
   */
  static ScenarioStop stop(StepFailure failure, String what, String section) {
    if (failure.result() == Result.ERROR) {
      return ScenarioStop.of(failure);
    }
    if (refusal(failure)) {
      return ScenarioStop.fail(
          what + " answered " + StatusWord.describe(failure.sw().getAsInt()) + ", expected 9000");
    }
    return ScenarioStop.fail(failure.getMessage() + section);
  }

  /** Whether the kernel failed on a status word other than 9000 (not on the answer's content). */
  private static boolean refusal(StepFailure failure) {
    return failure.sw().isPresent() && failure.sw().getAsInt() != StatusWord.SUCCESS;
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
        found = context.transport().awaitTarget(VehicleSession.POLL_SLICE);
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
      if (!told && Duration.between(start, now).compareTo(VehicleSession.PROMPT_AFTER) >= 0) {
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
    kernel.selected(Selected.NONE);
  }

  boolean anythingSelected() {
    return kernel.selected() != Selected.NONE;
  }

  void appletSelected() {
    kernel.selected(Selected.APPLET);
  }

  /** The clean pairing drives the transport itself and stops polling at its end. */
  void forgetSession() {
    kernel.selected(Selected.NONE);
  }

  void afterPairing() {
    kernel.selected(Selected.NONE);
    polling = false;
    targetSeen = true;
  }

  String abortHex(int code) {
    return Hex.encode(abortTo().abort(code).header());
  }

  /** OP CONTROL FLOW {@code 12 XX} or applet CONTROL FLOW {@code 00 XX} to what is selected. */
  ResponseApdu sendAbort(StepContext step, int code) {
    CommandApdu abort = abortTo().abort(code);
    kernel.selected(Selected.NONE);
    return step.send(abort);
  }

  /** Where an abort goes (§10.2): what is selected, else the framework. */
  private Selected abortTo() {
    return anythingSelected() ? kernel.selected() : Selected.FRAMEWORK;
  }

  // ---------------------------------------------------------------- framework, transaction 1

  /** A framework session as the scenario builds it up (§2.2). */
  public static final class Framework {
    final SelectFrameworkResponse select;
    final Negotiated negotiated;
    final int spake2Version;
    final List<Integer> appletVersions;
    Spake2Pending spake2;
    SecureChannel channel;
    byte[] endpointCertificate;

    Framework(SelectFrameworkResponse select, Negotiated negotiated) {
      this.select = select;
      this.negotiated = negotiated;
      this.spake2Version = negotiated.spake2Version();
      this.appletVersions = negotiated.appletVersions();
    }

    /** The agreed DK applet version: the REQUEST's first 5C entry (§4). */
    int agreedVersion() {
      return negotiated.agreedApplet();
    }

    /** The vehicle share Y of VERIFY. */
    byte[] y() {
      return spake2.y();
    }

    /** The vehicle evidence M1 of VERIFY. */
    byte[] m1() {
      return spake2.m1();
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
    SelectFrameworkResponse select =
        setUp("SELECT framework", " (§3.3.1)", () -> in(step).selectFramework(transaction2));
    if (!transaction2 && !select.ready()) {
      throw step.stop(
          "SELECT framework answered D4 = "
              + Hex.u8(select.state())
              + ": the device has no pairing password; enter it on the device first");
    }
    Negotiated negotiated =
        Negotiated.tryOf(select, settings.spake2Versions(), settings.appletVersions())
            .orElseThrow(
                () ->
                    step.stop(
                        "no common version with the device: 5A "
                            + Versions.format(select.spake2Versions())
                            + ", 5C "
                            + Versions.format(select.appletVersions())));
    return new Framework(select, negotiated);
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
          VehicleSpake2 spake =
              VehicleSpake2.withScalar(
                  context.verifier(), context.draws().scalar(Draws.Names.SPAKE2_Y));
          session.spake2 =
              setUp(
                  "SPAKE2+ REQUEST",
                  " (§5.3)",
                  () -> in(step).request(request, context.verifier(), spake));
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
          setUp("SPAKE2+ VERIFY", " (§5.4)", () -> in(step).verify(session.spake2));
          session.channel = kernel.frameworkChannel();
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
          setUp(
              "OP CONTROL FLOW 10 01",
              " (§3.3)",
              () -> {
                in(step).opControlFlow(DkProfile.OP_FLOW_CREATE, "");
                return null;
              });
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
          if (!again.negotiated.equals(session.negotiated)) {
            throw step.stop("transaction-2 SELECT negotiates differently (§4)");
          }
          KeyCreationWait wait = keyCreationWait();
          KeyCreated created;
          try {
            created = in(step).awaitKeyCreated(wait);
          } catch (StepFailure failure) {
            throw stop(failure, "GET DATA 7F26", "");
          }
          step.detail("SELECT 9000; key created, DK identifier " + created.dkIdentifier().hex());
          return null;
        });
  }

  /** The 7F26 polls of P2.5 bounded by T_KeyCreation and paced by T_StatusPoll (§8.2, §13). */
  private KeyCreationWait keyCreationWait() {
    Instant deadline = context.clock().now().plus(context.timer(TimerName.T_KeyCreation));
    return new KeyCreationWait() {
      @Override
      public boolean expired() {
        return !context.clock().now().isBefore(deadline);
      }

      @Override
      public StepFailure expiry(int polls) {
        return StepFailure.fail(
            "the device did not create the key within T_KeyCreation (" + polls + " GET DATA 7F26)",
            AbortReason.KEY_CREATION_TIMEOUT);
      }

      @Override
      public void pause() throws InterruptedException {
        context.clock().sleep(context.timer(TimerName.T_StatusPoll));
      }
    };
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
    return VehicleSession.attestationStream(attestation.encode());
  }

  /** Wraps a plaintext into a protected command of the channel (§6.1). */
  CommandApdu protect(SecureChannel channel, int ins, int p1, int p2, byte[] plaintext) {
    try {
      return VehicleSession.protect(channel, ins, p1, p2, plaintext, "secure channel");
    } catch (StepFailure failure) {
      throw ScenarioStop.fail(failure.getMessage());
    }
  }

  /**
   * The kernel's protected exchange (GET RESPONSE while 61XX) answered 9000 with valid R-MACs;
   * anything else ends the scenario (a set-up step was refused).
   */
  byte[] protectedExchange(
      StepContext step, SecureChannel channel, int ins, int p1, byte[] plaintext, String what) {
    return setUp(what, " (§6.1)", () -> in(step).exchange(channel, ins, p1, 0x00, plaintext, what));
  }

  byte[] unprotect(StepContext step, SecureChannel channel, ResponseApdu response, String what) {
    return setUp(what, " (§6.1)", () -> VehicleSession.unprotect(channel, response, what));
  }

  // ---------------------------------------------------------------- applet, standard transaction

  /** The applet as selected, with the version the transaction uses (§4). */
  record Applet(SelectAppletResponse select, int agreedVersion) {}

  /**
   * AUTH0 as sent and answered: the kernel's transaction (its context and the vehicle's keys)
   * exists only when the device answered 9000 with a valid {@code 86}.
   */
  record Auth0Outcome(
      Applet applet,
      Auth0Command command,
      ResponseApdu response,
      EcKeyPair ephemeral,
      Optional<TransactionPending> transaction) {

    Optional<TransactionContext> context() {
      return transaction.map(TransactionPending::context);
    }

    Optional<TransactionKeys> keys() {
      return transaction.map(TransactionPending::keys);
    }
  }

  /** The highest applet version the vehicle supports, when none was agreed yet. */
  int highestAppletVersion() {
    return settings.appletVersions().stream().max(Integer::compare).orElseThrow();
  }

  /** SELECT applet answered 9000, the agreed version in its 5C list (P3.1, P3.2). */
  Applet selectApplet(StepContext step, int agreedVersion) {
    SelectAppletResponse select = setUp("SELECT applet", "", () -> in(step).selectApplet());
    return agreed(select, agreedVersion);
  }

  /** A SELECT applet answer the scenario sent itself, 9000, with the agreed version (§4). */
  Applet parseAppletSelect(StepContext step, ResponseApdu response, int agreedVersion) {
    return agreed(
        setUp("SELECT applet", "", () -> VehicleSession.parseAppletSelect(response)),
        agreedVersion);
  }

  private Applet agreed(SelectAppletResponse select, int agreedVersion) {
    setUp(
        "SELECT applet",
        " (§4)",
        () -> {
          VehicleSession.requireAgreedVersion(select, agreedVersion);
          return null;
        });
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

  /**
   * AUTH0 as given (a replay sends an earlier one again). Unless {@code requireSuccess}, a status
   * word other than 9000 is an outcome, not the end of the scenario.
   */
  Auth0Outcome auth0(
      StepContext step,
      Applet applet,
      Auth0Command command,
      EcKeyPair ephemeral,
      boolean requireSuccess) {
    try {
      TransactionPending transaction =
          in(step).auth0(command, ephemeral, applet.select().appletVersions());
      return new Auth0Outcome(applet, command, lastAnswer, ephemeral, Optional.of(transaction));
    } catch (StepFailure failure) {
      if (requireSuccess || !refusal(failure)) {
        throw stop(failure, "AUTH0", " (§11.2)");
      }
      return new Auth0Outcome(applet, command, lastAnswer, ephemeral, Optional.empty());
    }
  }

  /** The correct AUTH1 of a transaction: the vehicle signature of §11.4. */
  Auth1Command signAuth1(Auth0Outcome auth0) {
    return Auth1Command.sign(auth0.context().orElseThrow(), settings.vehicleKey());
  }

  /**
   * AUTH1 and the checks of §11.6 against a DK the suite knows: 9000, R-MAC, the endpoint signature
   * under its key and the key slot. Any deviation ends the step with a FAIL.
   */
  Auth1ResponsePlaintext auth1(StepContext step, Auth0Outcome auth0, DeviceKnowledge.KnownKey key) {
    TransactionResult result =
        setUp(
            "AUTH1",
            " (§11.6)",
            () ->
                in(step)
                    .auth1(
                        auth0.transaction().orElseThrow(),
                        settings.vehicleKey(),
                        P256.decodePoint(key.endpointPublicKey()),
                        settings.creation().initialKeySlot()));
    return result.auth1();
  }

  /**
   * Whether the AUTH1 response is signed by the known DK's endpoint key (§11.6 step 3); the key
   * slot is not this question's.
   */
  boolean auth1SignedBy(StepContext step, Auth0Outcome auth0, DeviceKnowledge.KnownKey key) {
    Auth1ResponsePlaintext plaintext =
        setUp(
            "AUTH1",
            " (§11.5)",
            () ->
                in(step).auth1Plaintext(auth0.transaction().orElseThrow(), settings.vehicleKey()));
    try {
      plaintext.verifyEndpointSignature(
          auth0.context().orElseThrow(), P256.decodePoint(key.endpointPublicKey()));
      return true;
    } catch (CccException e) {
      return false;
    }
  }

  /**
   * CONTROL FLOW ends the transaction (§11.8): {@code 01 00} after a good one (answered 9000), else
   * {@code 00 00}, which leaves the DK as it is.
   */
  void endTransaction(StepContext step, boolean success) {
    if (success) {
      setUp(
          "CONTROL FLOW 01 00",
          " (§3.4)",
          () -> {
            in(step).endTransaction();
            return null;
          });
    } else {
      step.send(FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_FAILURE, 0x00));
    }
    kernel.selected(Selected.NONE);
  }

  /** The vehicle's own list for scenarios that need one version to stand for "any". */
  List<Integer> appletVersions() {
    return new ArrayList<>(settings.appletVersions());
  }

  VehicleSettings settings() {
    return settings;
  }
}
