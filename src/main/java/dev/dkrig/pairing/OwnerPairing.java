package dev.dkrig.pairing;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CommandApdu;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.ResponseApdu;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.ccc.kcd.DeviceConfiguration;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.ccc.pki.Binding;
import dev.dkrig.ccc.pki.ChainVerifier;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.pki.VerifiedChain;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.pairing.protocol.Certificates;
import dev.dkrig.pairing.protocol.Checks;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.pairing.protocol.KeyCreated;
import dev.dkrig.pairing.protocol.KeyCreationWait;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.Spake2Pending;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.pairing.protocol.Wire;
import dev.dkrig.random.Draws;
import dev.dkrig.state.DkRecord;
import dev.dkrig.state.StateException;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The vehicle role (the car's Digital Key module): owner pairing phases 1 to 4 as the contract's
 * step catalogue describes them (§2), one method per step. The run drives an {@link NfcTransport}
 * and an {@link Advertiser} and reports one {@link StepResult} per step; every FAIL or ERROR aborts
 * as §2 says, and polling and advertising always stop on the way out.
 *
 * <p>One instance runs once. It shares no state with any device: what it learns comes from APDU
 * bytes.
 */
public final class OwnerPairing {
  private final VehicleSettings settings;
  private final NfcTransport nfc;
  private final Advertiser ble;
  private final RigClock clock;
  private final RigClock protocolClock;
  private final Timers timers;
  private final Draws draws;
  private final StateStore state;
  private final RunListener listener;
  private final StepRecorder recorder;
  private final List<HuEvent> events = new ArrayList<>();
  private final Map<Step, Integer> lastSw = new EnumMap<>(Step.class);

  private Step current = Step.P1_1;
  private boolean used;
  private final TurnaroundMeter turnaround = new TurnaroundMeter();
  private boolean revealSecrets;

  private final VehicleSession session;
  private boolean transportUsable = true;

  // What the steps hand to each other.
  private Verifier verifier;
  private boolean verifierPersistent;
  private Negotiated negotiated;
  private SystemKeys systemKeys;
  private EndpointCreationData creationData;
  private DkIdentifier dkIdentifier;
  private VerifiedChain chain;
  private DkRecord pendingDk;
  private DkRecord storedDk;
  private Instant pairingModeStart;
  private Instant ownerPairingComplete;

  public OwnerPairing(
      VehicleSettings settings,
      NfcTransport nfc,
      Advertiser ble,
      RigClock clock,
      Map<TimerName, Duration> timerValues,
      Draws draws,
      StateStore state,
      RunListener listener) {
    this(settings, nfc, ble, clock, clock, timerValues, draws, state, listener);
  }

  /**
   * With a separate clock for protocol content (the 5F5A time, certificate validity): test mode
   * (§18.2) fixes it at 2026-11-27T12:01:00Z while timers still run on {@code clock}.
   */
  public OwnerPairing(
      VehicleSettings settings,
      NfcTransport nfc,
      Advertiser ble,
      RigClock clock,
      RigClock protocolClock,
      Map<TimerName, Duration> timerValues,
      Draws draws,
      StateStore state,
      RunListener listener) {
    this.settings = settings;
    this.nfc = nfc;
    this.ble = ble;
    this.clock = clock;
    this.protocolClock = protocolClock;
    this.timers = new Timers(clock, timerValues);
    this.draws = draws;
    this.state = state;
    this.listener = listener;
    this.recorder = new StepRecorder(clock, listener);
    this.session = new VehicleSession(new PairingWire());
  }

  /** The kernel's way to the device: this run's transmit, listeners and secrets. */
  private final class PairingWire implements Wire {
    @Override
    public ResponseApdu send(CommandApdu command) {
      return transmit(command);
    }

    @Override
    public void plaintext(boolean command, byte[] plaintext) {
      listener.plaintext(current, command, shown(plaintext));
    }

    @Override
    public void secret(String name, byte[] value) {
      reveal(name, value);
    }
  }

  /**
   * {@code --reveal-secrets}: the run hands its derived secrets (w0, SPAKE2+ keys, SystemKeys,
   * transaction keys) to the listeners, for lab debugging. Off by default; secrets never reach a
   * listener otherwise.
   */
  public OwnerPairing revealSecrets(boolean reveal) {
    this.revealSecrets = reveal;
    return this;
  }

  /**
   * A plaintext as the listeners see it: hex, with the vehicle's BLE IRK (7F49, a secret that
   * resolves the car's private addresses) shown as {@code [IRK ****]} unless secrets are revealed.
   */
  private String shown(byte[] plaintext) {
    if (revealSecrets) {
      return Hex.encode(plaintext);
    }
    byte[] irk = settings.ble().irk();
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < plaintext.length) {
      if (i + irk.length <= plaintext.length
          && java.util.Arrays.equals(plaintext, i, i + irk.length, irk, 0, irk.length)) {
        out.append("[IRK ****]");
        i += irk.length;
      } else {
        out.append(Hex.u8(plaintext[i] & 0xFF));
        i++;
      }
    }
    java.util.Arrays.fill(irk, (byte) 0);
    return out.toString();
  }

  private void reveal(String name, byte[] value) {
    if (revealSecrets) {
      listener.secret(current, name, value);
    }
  }

  /** Runs owner pairing once. Never throws: every problem ends as a step result. */
  public PairingOutcome run() {
    if (used) {
      throw new IllegalStateException("an OwnerPairing runs once");
    }
    used = true;
    Instant start = clock.now();
    Throwable internal = null;
    try {
      if (phase1()) {
        phase2();
        phase3();
        phase4();
      }
    } catch (StepFailure failure) {
      handleFailure(current, failure);
    } catch (TimerExpired expired) {
      handleTimer(expired.timer());
    } catch (InterruptedException | OperatorInterrupt e) {
      // Clear the flag so the abort and the NFC reset can still go out, then restore it.
      Thread.interrupted();
      handleFailure(
          current, StepFailure.error("interrupted by the operator (Ctrl-C or SIGTERM)", e));
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      internal = e;
      handleFailure(current, StepFailure.error("internal error in dkrig: " + e, e));
    } finally {
      if (precomputation != null) {
        precomputation.close();
      }
      stopPairingMode();
      nfc.stopPolling();
      wipeSessionKeys();
      resolveDeferredSteps();
      recorder.skipRemaining("not reached");
      flushState();
    }
    List<StepResult> results = recorder.inCatalogueOrder();
    return new PairingOutcome(
        results,
        Verdict.of(results),
        events,
        start,
        clock.now(),
        Optional.ofNullable(storedDk),
        Optional.ofNullable(internal));
  }

  /**
   * Waits for the DK records written behind the run; a record that could not be saved makes the
   * step that produced it ERROR, before the verdict is computed (a PASS needs its record).
   */
  private void flushState() {
    try {
      state.flush();
    } catch (StateStore.WriteFailure e) {
      Step step = e.origin().filter(Step.class::isInstance).map(Step.class::cast).orElse(current);
      Instant start = recorder.result(step).map(StepResult::start).orElseGet(clock::now);
      recorder.put(
          StepResult.of(
              step,
              Result.ERROR,
              start,
              clock.now(),
              "the DK record could not be saved: " + e.getMessage()));
    } catch (RuntimeException e) {
      recorder.record(current, Result.ERROR, "state folder: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- phase 1 (vehicle internal)

  /** Phase 1. Returns false when the run ends at P1.4a (no verifier). */
  private boolean phase1() {
    ignitionOn();
    addDigitalKeyChosen();
    phoneKeyRequest();
    if (!checkVerifier()) {
      return false;
    }
    deepLinkNotification();
    enterPairingMode();
    startOwnerPairingTimer();
    return true;
  }

  /** P1.1: the ignition input. */
  private void ignitionOn() {
    enter(Step.P1_1);
    if (!settings.ignitionOn()) {
      throw StepFailure.error(
          "precondition: ignition is OFF (turn it on; profile vehicle.ignition)", null);
    }
    pass(Step.P1_1, "ignition ON");
  }

  /** P1.2: the HU stub records the owner's choice (the run start). */
  private void addDigitalKeyChosen() {
    enter(Step.P1_2);
    pass(Step.P1_2, "owner chose \"add digital key\" on the HU (run start)");
  }

  /** P1.3: PhoneKey_Req [Add Phone] from the HU (§15). */
  private void phoneKeyRequest() {
    enter(Step.P1_3);
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("request", "Add Phone");
    emit(new HuEvent(HuEvent.PHONE_KEY_REQ, clock.now(), payload));
    pass(Step.P1_3, "PhoneKey_Req received: request = \"Add Phone\"");
  }

  /** P1.4 and P1.4a: the SPAKE2+ verifier exists and is valid (§5.1), else PP-03. */
  private boolean checkVerifier() {
    enter(Step.P1_4);
    try {
      VerifierSource source = settings.verifier();
      if (source instanceof VerifierSource.FromPassword fromPassword) {
        byte[] salt =
            fromPassword.salt().orElseGet(() -> draws.bytes(Draws.Names.VERIFIER_SALT, 16));
        startPrecomputation();
        ScryptParameters scrypt =
            new ScryptParameters(salt, fromPassword.n(), fromPassword.r(), fromPassword.p());
        verifier = Verifier.provision(fromPassword.password(), scrypt).validate();
        precomputation.verifierKnown(verifier);
        verifierPersistent = false;
        pass(
            Step.P1_4,
            "verifier derived from the profile's password (rig as OEM server, §18.20): "
                + scryptText(scrypt));
      } else if (source instanceof VerifierSource.Provisioned provisioned) {
        startPrecomputation();
        verifier = provisioned.verifier().validate();
        precomputation.verifierKnown(verifier);
        verifierPersistent = true;
        pass(
            Step.P1_4,
            "provisioned verifier "
                + StateStore.fingerprint(verifier)
                + " valid: "
                + scryptText(verifier.scrypt()));
      } else {
        throw new CccException(
            CccException.Failure.MALFORMED, ((VerifierSource.Absent) source).why());
      }
    } catch (CccException | IllegalArgumentException e) {
      recorder.record(Step.P1_4, Result.ERROR, "no valid SPAKE2+ verifier: " + e.getMessage());
      followPp03(e.getMessage());
      return false;
    }
    recorder.record(Step.P1_4A, Result.SKIPPED, "a valid verifier exists");
    return true;
  }

  /**
   * Issue 20: y and the transactions' inputs are drawn here, in today's order, and their points
   * computed on the other core while P1.4 derives the verifier.
   */
  private void startPrecomputation() {
    precomputation =
        Precomputation.start(draws, settings.phase4() ? 2 : 1, settings.trustAnchors());
  }

  private Precomputation precomputation;

  /** P1.4a: PP-03 (§15): PP03_Req to the OEM server and HU_NTF OP_NO_VERIFIER, end of run. */
  private void followPp03(String why) {
    enter(Step.P1_4A);
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("vehicleId", settings.vehicleIdHex());
    payload.put("reason", "NO_VERIFIER");
    emit(new HuEvent(HuEvent.PP03_REQ, clock.now(), payload));
    emit(HuEvent.notification(clock.now(), HuEvent.NotificationCode.OP_NO_VERIFIER));
    recorder.record(
        Step.P1_4A, Result.INFO, "PP-03 taken: PP03_Req and HU_NTF OP_NO_VERIFIER emitted");
    recorder.skipRemaining("not reached: no SPAKE2+ verifier (P1.4 ERROR, PP-03)");
  }

  /** P1.5: HU_NTF OP_DEEPLINK (§15). */
  private void deepLinkNotification() {
    enter(Step.P1_5);
    emit(HuEvent.notification(clock.now(), HuEvent.NotificationCode.OP_DEEPLINK));
    pass(Step.P1_5, "HU_NTF OP_DEEPLINK emitted");
  }

  /** P1.6, P1.6.1, P1.6.2: NFC polling, BLE advertising, T_PairingModeTimeout. */
  private void enterPairingMode() {
    enter(Step.P1_6);
    enter(Step.P1_6_1);
    try {
      nfc.startPolling();
    } catch (TransportException e) {
      transportUsable = false;
      recorder.record(Step.P1_6_1, Result.ERROR, "reader unavailable: " + e.getMessage());
      recorder.record(Step.P1_6_2, Result.SKIPPED, "not reached: NFC polling did not start");
      throw StepFailure.error("P1.6.1 ERROR: NFC polling did not start", e);
    }
    pass(Step.P1_6_1, "owner-pairing NFC polling active on " + nfc.description());
    String bleText;
    enter(Step.P1_6_2);
    if (!ble.enabled()) {
      recorder.record(Step.P1_6_2, Result.SKIPPED, ble.describe());
      bleText = "BLE off";
    } else {
      try {
        ble.start(new AdvertisingData(settings.brand(), settings.ble().spsm()));
      } catch (RuntimeException e) {
        recorder.record(
            Step.P1_6_2, Result.ERROR, "BLE advertising did not start: " + e.getMessage());
        throw StepFailure.error("P1.6.2 ERROR: BLE advertising did not start", e);
      }
      listener.advertising(
          clock.now(),
          true,
          "FFF5 + intent 01, brand " + Hex.encode(settings.brand()) + ble.describe());
      pass(
          Step.P1_6_2,
          "advertising FFF5 with intent 01 and brand "
              + Hex.encode(settings.brand())
              + ble.describe());
      bleText = "BLE advertising";
    }
    timers.start(TimerName.T_PairingModeTimeout);
    pairingModeStart = clock.now();
    recorder.begin(Step.P1_6_3);
    pass(
        Step.P1_6,
        "pairing mode entered: NFC polling, "
            + bleText
            + ", T_PairingModeTimeout "
            + Durations.compact(timers.value(TimerName.T_PairingModeTimeout)));
  }

  /** P1.7: T_OwnerPairing starts; P1.7a is decided at P3.6 or at expiry. */
  private void startOwnerPairingTimer() {
    enter(Step.P1_7);
    timers.start(TimerName.T_OwnerPairing);
    recorder.begin(Step.P1_7A);
    pass(
        Step.P1_7,
        "T_OwnerPairing started ("
            + Durations.compact(timers.value(TimerName.T_OwnerPairing))
            + ")");
  }

  // ------------------------------------------------------- phase 2 (NFC session 1, framework)

  private void phase2() throws InterruptedException {
    SelectFrameworkResponse select = selectFramework();
    negotiateVersions(select);
    spake2();
    sendCreationData();
    createDigitalKey();
    readCertificates();
    verifyChain();
    verifyBinding();
    sendAttestation();
    finaliseCreation();
  }

  /** P2.1 and P2.1a: SELECT framework, retried until D4 = 02 while pairing mode lasts. */
  private SelectFrameworkResponse selectFramework() throws InterruptedException {
    enter(Step.P2_1);
    int attempts = 0;
    while (true) {
      checkRunTimers();
      if (!awaitTarget(
          remaining(TimerName.T_PairingModeTimeout),
          "place the phone (or CCC test card) on the pad; the owner has entered the pairing"
              + " password in the app",
          TimerName.T_PairingModeTimeout)) {
        continue;
      }
      ResponseApdu response;
      try {
        response = transmitRaw(FrameworkCommands.selectFramework());
      } catch (TransportException e) {
        if (e.kind() != TransportException.Kind.TAG_LOST) {
          throw transportFailure(e, "SELECT framework");
        }
        // §18.18: the retry after a lost tag is part of this step's record, and it polls again
        // as after a failed poll: one poll slice later, so a device that vanishes at every
        // SELECT cannot spin the run (on a virtual clock, forever) until pairing mode ends.
        attempts++;
        lastRefusal = "tag lost during SELECT";
        note(lastRefusal + "; polling again");
        nfcReset();
        waitFor(VehicleSession.POLL_SLICE);
        continue;
      }
      attempts++;
      if (response.sw() != StatusWord.SUCCESS) {
        retryNotReady("SELECT framework answered " + StatusWord.describe(response.sw()));
        continue;
      }
      session.selected(Selected.FRAMEWORK);
      SelectFrameworkResponse parsed;
      try {
        parsed = SelectFrameworkResponse.parse(response.data());
      } catch (CccException e) {
        // §18.5: the SELECT itself passed; the response is malformed (P2.1a).
        pass(Step.P2_1, "9000, response malformed, see P2.1a");
        enter(Step.P2_1A);
        throw StepFailure.fail(
            "malformed SELECT response: " + e.getMessage(), AbortReason.UNSPECIFIED);
      }
      if (!parsed.ready()) {
        session.selected(Selected.NONE);
        retryNotReady(
            "device not ready: D4 = " + Hex.u8(parsed.state()) + " (no pairing password yet)");
        continue;
      }
      pass(
          Step.P2_1,
          "9000, D4 = 02"
              + (attempts > 1
                  ? " after " + attempts + " SELECTs (last refusal: " + lastRefusal + ")"
                  : ""));
      enter(Step.P2_1A);
      pass(Step.P2_1A, "well formed: " + parsed);
      return parsed;
    }
  }

  /** P2.1 retry: NFC reset, wait T_NotReadyRetry, poll and SELECT again (§2). */
  private void retryNotReady(String why) throws InterruptedException {
    lastRefusal = why;
    note(
        why
            + "; NFC reset, retry in "
            + Durations.compact(timers.value(TimerName.T_NotReadyRetry)));
    nfcReset();
    waitFor(timers.value(TimerName.T_NotReadyRetry));
  }

  private String lastRefusal = "no device was presented";

  /** P2.2: the SPAKE2+ version and the applet list (§4). */
  private void negotiateVersions(SelectFrameworkResponse select) {
    enter(Step.P2_2);
    negotiated = Negotiated.of(select, settings.spake2Versions(), settings.appletVersions());
    pass(Step.P2_2, negotiated.describe());
  }

  /** P2.3: attempt counter, REQUEST, X, VERIFY, M2 (§5). */
  private void spake2() {
    enter(Step.P2_3);
    int attempts = verifierPersistent ? storedAttempts() : sessionAttempts;
    if (attempts >= DkProfile.SPAKE2_ATTEMPT_LIMIT) {
      throw attemptLimit(attempts, "no REQUEST sent");
    }
    Spake2Request request =
        new Spake2Request(
            negotiated.spake2Version(),
            negotiated.appletVersions(),
            verifier.scrypt(),
            settings.brand());
    Spake2Pending pending = session.request(request, verifier, precomputation.spake2(verifier));
    // §5.6: the counter goes up and is persisted before VERIFY is sent.
    // §18.9: with a persistent counter, other runs share it: re-read and increment it under the
    // state folder's lock, so that no two runs spend the same attempt.
    if (verifierPersistent) {
      attempts = reserveAttempt();
    } else {
      attempts++;
      sessionAttempts = attempts;
    }
    systemKeys = session.verify(pending);
    pass(
        Step.P2_3,
        "REQUEST 9000, X valid, VERIFY 9000, M2 correct (attempt "
            + attempts
            + " of "
            + DkProfile.SPAKE2_ATTEMPT_LIMIT
            + ")");
    endPairingModeOnSuccess();
  }

  private int sessionAttempts;

  private int storedAttempts() {
    try {
      return state.attempts(verifier);
    } catch (StateException e) {
      throw StepFailure.error(e.getMessage(), e);
    }
  }

  /** The next attempt of the shared counter, or abort 0D when another run used the last one. */
  private int reserveAttempt() {
    OptionalInt reserved;
    try {
      reserved = state.reserveAttempt(verifier, DkProfile.SPAKE2_ATTEMPT_LIMIT, clock.now());
    } catch (StateException | java.io.UncheckedIOException e) {
      throw StepFailure.error("the attempt counter cannot be persisted: " + e.getMessage(), e);
    }
    if (reserved.isEmpty()) {
      throw attemptLimit(DkProfile.SPAKE2_ATTEMPT_LIMIT, "no VERIFY sent");
    }
    return reserved.getAsInt();
  }

  private StepFailure attemptLimit(int attempts, String sent) {
    return StepFailure.fail(
        "SPAKE2+ attempt limit reached: "
            + attempts
            + " attempts with verifier "
            + StateStore.fingerprint(verifier)
            + "; provision a new verifier ("
            + sent
            + ")",
        AbortReason.ATTEMPT_LIMIT);
  }

  /** Pairing mode ends at P2.3 PASS (§13): advertising stops, P1.6.3 passes. */
  private void endPairingModeOnSuccess() {
    Duration inMode = Duration.between(pairingModeStart, clock.now());
    timers.stop(TimerName.T_PairingModeTimeout);
    boolean advertised = ble.advertising();
    stopPairingMode();
    recorder.record(
        Step.P1_6_3,
        Result.PASS,
        "P2.3 passed "
            + Durations.format(inMode)
            + " into pairing mode (limit "
            + Durations.compact(timers.value(TimerName.T_PairingModeTimeout))
            + "); "
            + (advertised ? "BLE advertising stopped, " : "")
            + "NFC polling continues for the procedure");
  }

  /** P2.4 and its sub-steps: the creation data stream in WRITE DATA pieces (§7). */
  private void sendCreationData() {
    enter(Step.P2_4);
    creationData = settings.endpointCreationData(negotiated.agreedApplet());
    DeviceConfiguration configuration = settings.deviceConfiguration();
    KeyCreationStream stream = settings.creationStream(creationData);
    byte[] bytes = stream.encode();
    List<byte[]> pieces = KeyCreationStream.chunks(bytes);
    session.writeStream(pieces);
    List<String> sizes = new ArrayList<>();
    for (byte[] piece : pieces) {
      sizes.add(String.valueOf(piece.length));
    }
    String detail =
        bytes.length
            + "-byte stream in "
            + pieces.size()
            + " WRITE DATA ("
            + String.join("+", sizes)
            + "), each answered 9000 with a valid R-MAC";
    pass(Step.P2_4, detail);
    pass(
        Step.P2_4_1,
        "7F4B: K, "
            + settings.vehicleCertificate().encoded().length
            + " bytes, CN "
            + settings.vehicleCertificate().subjectCommonName().orElse("?")
            + settings
                .intermediateCertificate()
                .map(i -> "; 7F4C intermediate included")
                .orElse(""));
    pass(Step.P2_4_2, "7F4E: " + configuration.toTlv().encode().length + " bytes");
    VehicleSettings.BleParameters b = settings.ble();
    pass(
        Step.P2_4_2_1,
        "7F49: IRK, identity address "
            + (b.addressType() == 0 ? "public " : "random static ")
            + VehicleIdentity.addressText(b.identityAddress())
            + ", flags "
            + Hex.u8(configuration.flags()));
    pass(Step.P2_4_2_2, "D9: " + profileNames(configuration.dkProfiles()));
  }

  /** P2.5: OP CONTROL FLOW 10 01, NFC reset, transaction-2 SELECT, key-creation status (§8). */
  private void createDigitalKey() throws InterruptedException {
    enter(Step.P2_5);
    session.opControlFlow(DkProfile.OP_FLOW_CREATE, "");
    timers.start(TimerName.T_KeyCreation);
    // §6.2: keys, counter and MCV survive this NFC reset; the device keeps them in AWAIT_TX2.
    nfcReset();
    session.selected(Selected.NONE);
    timers.start(TimerName.T_TxGap);
    Instant gapStart = clock.now();
    SelectFrameworkResponse second = selectTransaction2();
    Duration gap = Duration.between(gapStart, clock.now());
    String retries =
        transaction2Selects > 1
            ? " after "
                + transaction2Selects
                + " SELECTs (last refusal: "
                + transaction2Refusal
                + ")"
            : "";
    timers.stop(TimerName.T_TxGap);
    if (Negotiated.tryOf(second, settings.spake2Versions(), settings.appletVersions())
        .filter(negotiated::equals)
        .isEmpty()) {
      throw StepFailure.fail(
          "transaction-2 renegotiation differs: now "
              + second
              + " (was SPAKE2+ "
              + Hex.u16(negotiated.spake2Version())
              + ", applets "
              + Versions.format(negotiated.appletVersions())
              + ")",
          AbortReason.UNSPECIFIED);
    }
    KeyCreated created = session.awaitKeyCreated(new KeyCreationTimer());
    int polls = created.polls();
    dkIdentifier = created.dkIdentifier();
    timers.stop(TimerName.T_KeyCreation);
    pass(
        Step.P2_5,
        "10 01 → 9000; transaction-2 SELECT 9000"
            + retries
            + ", "
            + Durations.format(gap)
            + " after the reset; key created (status 00"
            + (polls > 1 ? " after " + polls + " polls" : "")
            + "), DK identifier "
            + dkIdentifier.hex());
  }

  /** P2.5's polls: bounded by T_KeyCreation, paced by T_StatusPoll, run timers checked. */
  private final class KeyCreationTimer implements KeyCreationWait {
    @Override
    public boolean expired() {
      return timers.expired(TimerName.T_KeyCreation);
    }

    @Override
    public StepFailure expiry(int polls) {
      return StepFailure.timer(
          TimerName.T_KeyCreation,
          "T_KeyCreation ("
              + Durations.compact(timers.value(TimerName.T_KeyCreation))
              + ") expired with the key still in progress (7F26 status 01 after "
              + polls
              + " polls)",
          AbortReason.KEY_CREATION_TIMEOUT);
    }

    @Override
    public void pause() throws InterruptedException {
      waitFor(timers.value(TimerName.T_StatusPoll));
    }
  }

  /** How many transaction-2 SELECTs were sent, and why the last refused one failed. */
  private int transaction2Selects;

  private String transaction2Refusal = "";

  /** The transaction-2 SELECT of P2.5, retried until T_TxGap expires (§18.7). */
  private SelectFrameworkResponse selectTransaction2() throws InterruptedException {
    String last = "no device was presented";
    while (true) {
      checkRunTimers();
      if (timers.expired(TimerName.T_TxGap)) {
        closeChannels();
        throw StepFailure.timer(
            TimerName.T_TxGap,
            "T_TxGap ("
                + Durations.compact(timers.value(TimerName.T_TxGap))
                + ") expired before the transaction-2 SELECT was answered (last: "
                + last
                + "); code 06, not sent",
            null);
      }
      if (!awaitTarget(
          remaining(TimerName.T_TxGap),
          "keep the phone on the pad: the device creates its key (session 1, transaction 2)",
          TimerName.T_TxGap)) {
        continue;
      }
      ResponseApdu response;
      transaction2Selects++;
      try {
        response = transmitRaw(FrameworkCommands.selectFramework());
      } catch (TransportException e) {
        if (e.kind() != TransportException.Kind.TAG_LOST) {
          throw transportFailure(e, "SELECT framework (transaction 2)");
        }
        last = "tag lost during SELECT";
        transaction2Refusal = last;
        note(last + "; polling again");
        nfcReset();
        // As in P2.1: the next poll one slice later, never past T_TxGap (checked above).
        waitFor(min(VehicleSession.POLL_SLICE, remaining(TimerName.T_TxGap)));
        continue;
      }
      if (response.sw() != StatusWord.SUCCESS) {
        last = "SELECT answered " + StatusWord.describe(response.sw());
        transaction2Refusal = last;
        note(last + "; NFC reset and retry");
        nfcReset();
        waitFor(min(timers.value(TimerName.T_NotReadyRetry), remaining(TimerName.T_TxGap)));
        continue;
      }
      session.selected(Selected.FRAMEWORK);
      return VehicleSession.parseFrameworkSelect(response, true);
    }
  }

  /** P2.6: GET DATA 7F20, 7F22, 7F24 with GET RESPONSE chaining (§6.5, §8.2). */
  private Certificates certificates;

  private void readCertificates() {
    enter(Step.P2_6);
    certificates = session.readCertificates();
    pass(
        Step.P2_6,
        "7F20 H "
            + certificates.endpoint().length
            + " bytes, 7F22 E "
            + certificates.instanceCa().length
            + " bytes, 7F24 F "
            + certificates.deviceOemCa().length
            + " bytes, all 9000 with valid R-MACs");
  }

  /** P2.6.1: the F, E, H chain against the trust anchors (§8.5, §18.19). */
  private void verifyChain() {
    enter(Step.P2_6_1);
    chain =
        VehicleSession.verifyChain(
            new ChainVerifier(settings.trustAnchors(), settings.checkValidity()),
            certificates,
            protocolClock.now());
    pass(
        Step.P2_6_1,
        "F \""
            + chain.deviceOemCa().subjectCommonName().orElse("?")
            + "\" → E \""
            + chain.instanceCa().subjectCommonName().orElse("?")
            + "\" → H valid under \""
            + chain
                .trustAnchor()
                .certificate()
                .flatMap(c -> c.subjectCommonName())
                .orElse("trust anchor")
            + "\"");
  }

  /** P2.6.2: H matches what the vehicle sent and the DK identifier (§8.6). */
  private void verifyBinding() {
    enter(Step.P2_6_2);
    try {
      Binding.verify(chain.endpoint(), creationData, dkIdentifier);
    } catch (CccException e) {
      throw Failures.ccc(e, AbortReason.WRONG_CONFIGURATION);
    }
    Instant now = clock.now();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("LTSS", Hex.encode(systemKeys.ltss()));
    secrets.put("Kble_intro", Hex.encode(systemKeys.kbleIntro()));
    secrets.put("Kble_oob_master", Hex.encode(systemKeys.kbleOobMaster()));
    pendingDk =
        new DkRecord(
            settings.vehicleIdHex(),
            dkIdentifier.hex(),
            "UNCOMMITTED",
            Hex.u16(negotiated.agreedApplet()),
            Hex.encode(settings.creation().initialKeySlot()),
            Hex.encode(chain.endpoint().publicKey()),
            Hex.encode(chain.endpoint().encoded()),
            now,
            now,
            null,
            secrets);
    pass(
        Step.P2_6_2,
        "H .5.4 matches 7F4A; SHA-1(H's key) = DK identifier " + dkIdentifier.hex() + " = H's CN");
  }

  /** P2.7: the 5F5A attestation in one WRITE DATA with P1 = 80 (§9). */
  private void sendAttestation() {
    enter(Step.P2_7);
    long time = protocolClock.now().getEpochSecond();
    VehicleAttestation.Signed attestation =
        VehicleAttestation.forEndpoint(
                settings.vehicleIdentifier(), chain.endpoint().publicKey(), time)
            .sign(settings.vehicleKey());
    session.writeAttestation(VehicleSession.attestationStream(attestation.encode()));
    pass(
        Step.P2_7,
        "5F5A ("
            + attestation.encode().length
            + " bytes, signed by vehicle.SK, time "
            + Instant.ofEpochSecond(time)
            + ") → 9000, R-MAC valid");
  }

  /** P2.8: OP CONTROL FLOW 11 11; the DK is stored PAIRED_PENDING; framework keys go. */
  private void finaliseCreation() {
    enter(Step.P2_8);
    session.finaliseCreation();
    storedDk = pendingDk.withState(DkRecord.PAIRED_PENDING, clock.now());
    pendingDk = null;
    state.save(storedDk, current);
    nfcReset();
    timers.start(TimerName.T_TxGap);
    pass(
        Step.P2_8,
        "11 11 → 9000; DK "
            + storedDk.dkId()
            + " stored as PAIRED_PENDING; framework keys dropped");
  }

  // ------------------------------------------------------- phase 3 (NFC session 2, applet)

  private void phase3() throws InterruptedException {
    SelectAppletResponse select = selectApplet();
    checkAppletVersion(select);
    standardTransaction(select);
    finaliseOwnerPairing();
    keyTrackingRequest();
    notifyHeadUnit();
    notifyBackend();
  }

  /** P3.1 and P3.1a: re-poll and SELECT applet within T_TxGap after P2.8. */
  private SelectAppletResponse selectApplet() throws InterruptedException {
    enter(Step.P3_1);
    while (true) {
      checkRunTimers();
      if (timers.expired(TimerName.T_TxGap)) {
        throw StepFailure.timer(
            TimerName.T_TxGap,
            "T_TxGap ("
                + Durations.compact(timers.value(TimerName.T_TxGap))
                + ") expired before the device was presented again for session 2; code 06, not sent",
            null);
      }
      if (awaitTarget(
          remaining(TimerName.T_TxGap),
          "keep the phone on the pad (or place it back): session 2, the applet's standard"
              + " transaction",
          TimerName.T_TxGap)) {
        break;
      }
    }
    ResponseApdu response = transmit(FrameworkCommands.selectApplet());
    timers.stop(TimerName.T_TxGap);
    Checks.check(response, "SELECT applet", null);
    session.selected(Selected.APPLET);
    pass(Step.P3_1, "9000");
    enter(Step.P3_1A);
    SelectAppletResponse parsed = VehicleSession.parseAppletSelect(response);
    pass(Step.P3_1A, "well formed: " + parsed);
    return parsed;
  }

  /** P3.2: the version agreed in P2.2 must be in the 5C list (§4). */
  private void checkAppletVersion(SelectAppletResponse select) {
    enter(Step.P3_2);
    requireAgreedVersion(select);
    pass(Step.P3_2, "agreed version " + Hex.u16(negotiated.agreedApplet()) + " offered");
  }

  private void requireAgreedVersion(SelectAppletResponse select) {
    VehicleSession.requireAgreedVersion(select, negotiated.agreedApplet());
  }

  /** P3.3: AUTH0, key derivation, AUTH1 and the checks of §11.6. */
  private void standardTransaction(SelectAppletResponse select) {
    enter(Step.P3_3);
    TransactionPending pending = auth0(select.appletVersions());
    Auth1ResponsePlaintext auth1 = auth1(pending);
    pass(
        Step.P3_3,
        "AUTH0 → 86 valid; AUTH1 → 9000, R-MAC valid, endpoint signature valid, key slot "
            + Hex.encode(auth1.keySlot())
            + "; SigBmp "
            + Hex.u16(auth1.sigBmp()));
    transactionKeys = pending.keys();
  }

  private TransactionKeys transactionKeys;

  private TransactionPending auth0(List<Integer> deviceVersions) {
    Precomputation.Transaction inputs = precomputation.nextTransaction();
    EcKeyPair ephemeral = inputs.ephemeral();
    Auth0Command auth0 =
        new Auth0Command(
            negotiated.agreedApplet(),
            ephemeral.publicBytes(),
            inputs.transactionId(),
            settings.vehicleIdentifier());
    return session.auth0(auth0, ephemeral, deviceVersions);
  }

  private Auth1ResponsePlaintext auth1(TransactionPending pending) {
    return session
        .auth1(
            pending,
            settings.vehicleKey(),
            chainEndpointKey(),
            settings.creation().initialKeySlot())
        .auth1();
  }

  private org.bouncycastle.math.ec.ECPoint chainEndpointKey() {
    return dev.dkrig.ccc.P256.decodePoint(Hex.decode(storedDk.endpointPublicKey()));
  }

  /** P3.4: CONTROL FLOW 80 3C 01 00; the DK becomes ACTIVE (§11.8). */
  private void finaliseOwnerPairing() {
    enter(Step.P3_4);
    // §18.6: a failed CONTROL FLOW is followed by the abort 80 3C 00 00.
    endTransaction();
    storedDk = storedDk.withState(DkRecord.ACTIVE, clock.now());
    state.save(storedDk, current);
    pass(Step.P3_4, "01 00 → 9000; DK " + storedDk.dkId() + " ACTIVE, Kpersistent stored");
  }

  /** P3.5: not observable by the vehicle. */
  private void keyTrackingRequest() {
    enter(Step.P3_5);
    recorder.record(
        Step.P3_5,
        Result.INFO,
        "not observable by the vehicle: the device sends its key-tracking request via its OEM server");
  }

  /** P3.6: HU_NTF OP_SUCCESS; T_OwnerPairing stops; NFC reset. */
  private void notifyHeadUnit() {
    enter(Step.P3_6);
    emit(HuEvent.notification(clock.now(), HuEvent.NotificationCode.OP_SUCCESS));
    Duration elapsed =
        timers
            .remaining(TimerName.T_OwnerPairing)
            .map(left -> timers.value(TimerName.T_OwnerPairing).minus(left))
            .orElse(Duration.ZERO);
    timers.stop(TimerName.T_OwnerPairing);
    ownerPairingComplete = clock.now();
    recorder.record(
        Step.P1_7A,
        Result.PASS,
        "P3.6 reached "
            + Durations.format(elapsed)
            + " after P1.7 (T_OwnerPairing "
            + Durations.compact(timers.value(TimerName.T_OwnerPairing))
            + ")");
    session.selected(Selected.NONE);
    nfcReset();
    pass(Step.P3_6, "HU_NTF OP_SUCCESS emitted: owner pairing complete");
  }

  /** P3.7 and its marker sub-steps: OwnerPairingPass_Ack (not gating). */
  private void notifyBackend() {
    enter(Step.P3_7);
    if (!settings.backend()) {
      recorder.record(Step.P3_7, Result.SKIPPED, "backend notification disabled by the profile");
      recorder.record(Step.P3_7_1, Result.SKIPPED, "= P3.7");
    } else {
      Map<String, String> payload = new LinkedHashMap<>();
      payload.put("vehicleId", settings.vehicleIdHex());
      payload.put("dkId", storedDk.dkId());
      payload.put("completedAt", ownerPairingComplete.toString());
      emit(new HuEvent(HuEvent.OWNER_PAIRING_PASS_ACK, clock.now(), payload));
      pass(Step.P3_7, "OwnerPairingPass_Ack emitted");
      pass(Step.P3_7_1, "SpaaK → SGW → TBM → Vehicle OEM server (backend stub)");
    }
    recorder.record(Step.P3_7_2, Result.INFO, "not required to pass owner pairing");
  }

  // ------------------------------------------------------- phase 4 (key-tracking receipt)

  private void phase4() throws InterruptedException {
    if (!settings.phase4()) {
      for (Step step : List.of(Step.P4_1, Step.P4_2, Step.P4_2_1, Step.P4_2_2, Step.P4_2_3)) {
        recorder.record(step, Result.SKIPPED, "phase 4 disabled (--no-phase4)");
      }
      return;
    }
    timers.start(TimerName.T_KtsWait);
    // The §12.2 poll loop is P4.2.1's subject; a problem while waiting belongs to it.
    enter(Step.P4_2_1);
    int transactions = 0;
    int noTarget = 0;
    while (true) {
      current = Step.P4_2_1;
      waitFor(timers.value(TimerName.T_KtsPollInterval));
      if (timers.expired(TimerName.T_KtsWait)) {
        ktsWaitExpired(transactions, noTarget);
        return;
      }
      nfcReset();
      if (!awaitTarget(
          DkProfile.NO_TARGET_RETRY,
          "keep the phone on the pad until the key-tracking receipt arrives",
          TimerName.T_KtsWait)) {
        noTarget++;
        continue;
      }
      Optional<Auth1ResponsePlaintext> auth1;
      try {
        auth1 = phase4Transaction();
      } catch (TagLostInPoll e) {
        pollsRestarted++;
        note("tag lost during a phase-4 transaction; polling again");
        session.selected(Selected.NONE);
        session.wipeApplet();
        continue;
      }
      transactions++;
      if (auth1.isPresent() && auth1.get().receiptAvailable()) {
        fetchAndVerifyReceipt(transactions);
        return;
      }
      // SigBmp bit 0 = 0: end this transaction and poll again later (§12.2).
      endTransaction();
      note(
          "SigBmp "
              + Hex.u16(auth1.map(Auth1ResponsePlaintext::sigBmp).orElse(0))
              + ": no receipt yet");
    }
  }

  /** Phase-4 polls restarted after a lost tag (§18.18), for P4.1's record. */
  private int pollsRestarted;

  /** P4.1 and P4.2 pass once phase 4 ends after at least one complete transaction. */
  private void passPhase4Transactions(int transactions) {
    pass(
        Step.P4_1,
        transactions
            + " transaction(s): SELECT, version check, AUTH0 each 9000"
            + (pollsRestarted > 0
                ? "; " + pollsRestarted + " poll(s) restarted after a tag lost mid-transaction"
                : ""));
    pass(Step.P4_2, transactions + " transaction(s): AUTH1 and §11.6 checks passed");
  }

  private static final class TagLostInPoll extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** P4.1 and P4.2 for one transaction; a lost tag restarts the poll (§18.18). */
  private Optional<Auth1ResponsePlaintext> phase4Transaction() throws TagLostInPoll {
    enter(Step.P4_1);
    try {
      ResponseApdu response = transmitRaw(FrameworkCommands.selectApplet());
      Checks.check(response, "SELECT applet", null);
      session.selected(Selected.APPLET);
      SelectAppletResponse select = VehicleSession.parseAppletSelect(response);
      requireAgreedVersion(select);
      TransactionPending pending = auth0(select.appletVersions());
      enter(Step.P4_2);
      Auth1ResponsePlaintext auth1 = auth1(pending);
      transactionKeys = pending.keys();
      return Optional.of(auth1);
    } catch (TransportException e) {
      if (e.kind() == TransportException.Kind.TAG_LOST) {
        throw new TagLostInPoll();
      }
      throw transportFailure(e, "phase-4 transaction");
    } catch (StepFailure f) {
      if (Failures.tagLost(f)) {
        throw new TagLostInPoll();
      }
      throw f;
    }
  }

  /** CONTROL FLOW 80 3C 01 00 ends a standard transaction; Kpersistent is replaced (§11.8). */
  private void endTransaction() {
    session.endTransaction();
    storedDk =
        storedDk.withSecret("Kpersistent", Hex.encode(transactionKeys.kpersistent()), clock.now());
    state.save(storedDk, current);
  }

  /** P4.2.1–P4.2.3: EXCHANGE E3 00, the receipt checks of §12.4, CONTROL FLOW 01 00. */
  private void fetchAndVerifyReceipt(int transactions) {
    passPhase4Transactions(transactions);
    pass(
        Step.P4_2_1,
        "SigBmp bit 0 set in transaction "
            + transactions
            + ", "
            + Durations.format(Duration.between(ownerPairingComplete, clock.now()))
            + " after P3.6");
    enter(Step.P4_2_2);
    byte[] receipt = session.fetchReceipt();
    pass(
        Step.P4_2_2,
        "KTS_Response " + receipt.length + " bytes, all pieces 9000 with valid R-MACs");
    enter(Step.P4_2_3);
    ReceiptPlaintext plaintext;
    try {
      plaintext =
          KtsResponse.verifyReceipt(
              receipt,
              settings.zz2PublicKey(),
              settings.devxEncKey(),
              settings.vehicleIdentifier(),
              Hex.decode(storedDk.dkId()));
    } catch (CccException e) {
      throw Failures.ccc(
          "KTS_Response", e, CccException.Failure.MISMATCH, AbortReason.VERIFICATION_FAILED);
    }
    endTransaction();
    storedDk = storedDk.withReceipt(Hex.encode(plaintext.encode()), clock.now());
    state.save(storedDk, current);
    pass(
        Step.P4_2_3,
        "signature (ZZ2), decryption (Devx.Enc) and identifiers valid; receipt "
            + printable(plaintext.receiptIdentifier())
            + " issued "
            + Instant.ofEpochSecond(plaintext.issueTime())
            + "; CONTROL FLOW 01 00 → 9000; DK RECEIPT_VERIFIED");
  }

  private void ktsWaitExpired(int transactions, int noTarget) {
    String detail =
        "T_KtsWait ("
            + Durations.compact(timers.value(TimerName.T_KtsWait))
            + ") expired without SigBmp bit 0 ("
            + transactions
            + " transaction(s), "
            + noTarget
            + " poll(s) with no device)";
    if (transactions == 0) {
      // §18.13: no transaction ran.
      String why =
          pollsRestarted > 0
              ? "no phase-4 transaction completed ("
                  + pollsRestarted
                  + " restarted after a tag lost mid-transaction)"
              : "no phase-4 transaction ran (no device presented)";
      recorder.record(Step.P4_1, Result.SKIPPED, why);
      recorder.record(Step.P4_2, Result.SKIPPED, why);
    } else {
      passPhase4Transactions(transactions);
    }
    recorder.put(
        StepResult.of(Step.P4_2_1, Result.FAIL, recorder.begin(Step.P4_2_1), clock.now(), detail)
            .withTimer(TimerName.T_KtsWait.name()));
    recorder.record(Step.P4_2_2, Result.SKIPPED, "not reached: P4.2.1 FAIL");
    recorder.record(Step.P4_2_3, Result.SKIPPED, "not reached: P4.2.1 FAIL");
  }

  // ------------------------------------------------------- exchanges

  /** Sends one APDU, mapping bench failures to step results (§18.18). */
  private ResponseApdu transmit(CommandApdu command) {
    try {
      return transmitRaw(command);
    } catch (TransportException e) {
      throw transportFailure(e, Ins.name(command));
    }
  }

  private ResponseApdu transmitRaw(CommandApdu command) {
    checkRunTimers();
    ResponseApdu response = exchange(command);
    lastSw.put(current, response.sw());
    return response;
  }

  /** One APDU on the wire, timed for the turnaround meter and shown to the listeners. */
  private ResponseApdu exchange(CommandApdu command) {
    Instant sent = clock.now();
    turnaround.beforeSend(sent).ifPresent(host -> listener.turnaround(current, command, host));
    ResponseApdu response = null;
    try {
      response = nfc.transmit(command);
      return response;
    } finally {
      Instant received = clock.now();
      turnaround.exchanged(received, response != null);
      listener.exchange(current, command, response, sent, received);
    }
  }

  private StepFailure transportFailure(TransportException e, String what) {
    if (Thread.currentThread().isInterrupted()) {
      // The exchange ended because the operator stopped the run, not because the bench failed.
      throw new OperatorInterrupt();
    }
    if (!Failures.linkUsableAfter(e.kind())) {
      transportUsable = false;
    }
    return Failures.transport(e, what);
  }

  // ------------------------------------------------------- failures, aborts, timers

  private void handleFailure(Step failedStep, StepFailure failure) {
    // A failure between steps (a wait, an interruption) belongs to the next step not yet decided.
    Step step = failedStep;
    while (recorder.finished(step) && step.ordinal() + 1 < Step.values().length) {
      step = Step.values()[step.ordinal() + 1];
    }
    OptionalInt abortSent = failure.abort().map(this::sendAbort).orElse(OptionalInt.empty());
    StepResult result =
        recordFailure(
            step,
            failure.result(),
            failure.getMessage(),
            failure.sw(),
            abortSent,
            failure.abort(),
            failure.timer());
    if (step == Step.P2_4) {
      for (Step sub : List.of(Step.P2_4_1, Step.P2_4_2, Step.P2_4_2_1, Step.P2_4_2_2)) {
        recorder.record(sub, failure.result(), "= P2.4: " + failure.getMessage());
      }
    }
    // P1.6.1/P1.6.2 record their own result; the failure itself lands on P1.6.3 (the next step
    // not yet decided), so the parent is matched on the step that failed.
    if (failedStep == Step.P1_6_1 || failedStep == Step.P1_6_2) {
      // The parent comes first in the report, so it carries the sub-step's own cause.
      recordFailure(
          Step.P1_6,
          failure.result(),
          "= "
              + failedStep.id()
              + ": "
              + recorder.result(failedStep).map(StepResult::detail).orElse(failure.getMessage()),
          OptionalInt.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          Optional.empty());
    }
    afterFailure(step, result, false);
  }

  private StepResult recordFailure(
      Step step,
      Result kind,
      String detail,
      OptionalInt sw,
      OptionalInt abortSent,
      Optional<AbortReason> reason,
      Optional<TimerName> timer) {
    if (recorder.finished(step)) {
      return recorder.result(step).orElseThrow();
    }
    StepResult result = StepResult.of(step, kind, recorder.begin(step), clock.now(), detail);
    OptionalInt statusWord =
        sw.isPresent()
            ? sw
            : Optional.ofNullable(lastSw.get(step))
                .map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    if (statusWord.isPresent()) {
      result = result.withSw(statusWord.getAsInt());
    }
    if (abortSent.isPresent() && reason.isPresent()) {
      result = result.withAbort(abortSent.getAsInt(), reason.get());
    }
    if (timer.isPresent()) {
      result = result.withTimer(timer.get().name());
    }
    return recorder.put(result);
  }

  private void handleTimer(TimerName timer) {
    Step interrupted = current;
    Step owner = timer == TimerName.T_OwnerPairing ? Step.P1_7A : Step.P1_6_3;
    AbortReason reason =
        timer == TimerName.T_OwnerPairing
            ? AbortReason.OWNER_PAIRING_TIMEOUT
            : AbortReason.PAIRING_MODE_TIMEOUT;
    // §13: a timer-caused abort is sent only if a session is selected at expiry;
    // T_PairingModeTimeout aborts only a framework session.
    OptionalInt abortSent =
        timer == TimerName.T_PairingModeTimeout && session.selected() != Selected.FRAMEWORK
            ? OptionalInt.empty()
            : sendAbort(reason);
    String limit = Durations.compact(timers.value(timer));
    String detail =
        timer == TimerName.T_OwnerPairing
            ? timer + " (" + limit + ") expired before P3.6; DK discarded"
            : timer + " (" + limit + ") expired before P2.3 passed; pairing mode stopped";
    StepResult ownerResult =
        recordFailure(
            owner,
            Result.FAIL,
            detail,
            OptionalInt.empty(),
            abortSent,
            Optional.of(reason),
            Optional.of(timer));
    if (interrupted != owner && !recorder.finished(interrupted)) {
      String what =
          interrupted == Step.P2_1
              ? "no SELECT answered 9000 with D4 = 02 before "
                  + timer
                  + " expired (last: "
                  + lastRefusal
                  + ")"
              : "interrupted: " + timer + " expired (see " + owner.id() + ")";
      recordFailure(
          interrupted,
          Result.FAIL,
          what,
          OptionalInt.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          Optional.of(timer));
    }
    if (timer == TimerName.T_OwnerPairing && storedDk != null) {
      state.delete(storedDk.vehicleId(), storedDk.dkId());
      storedDk = null;
    }
    afterFailure(owner, ownerResult, true);
  }

  /** §2: after any FAIL or ERROR. */
  private void afterFailure(Step failing, StepResult result, boolean timer) {
    closeChannels();
    session.selected(Selected.NONE);
    pendingDk = null;
    stopPairingMode();
    nfc.stopPolling();
    if (failing.phase() <= 3 && failing != Step.P1_4 && storedDkNotActive()) {
      emit(HuEvent.failure(clock.now(), failing, result.detail()));
    }
    recorder.skipRemaining("not reached: " + failing.id() + " " + result.result());
  }

  private boolean storedDkNotActive() {
    return storedDk == null || DkRecord.PAIRED_PENDING.equals(storedDk.state());
  }

  /** Sends the abort to the selected application; ignores its outcome (§10.2). */
  private OptionalInt sendAbort(AbortReason reason) {
    if (session.selected() == Selected.NONE || !transportUsable) {
      return OptionalInt.empty();
    }
    CommandApdu abort = session.takeAbort(reason).orElseThrow();
    try {
      exchange(abort);
    } catch (TransportException e) {
      note("abort " + Hex.encode(abort.header()) + " not delivered: " + e.getMessage());
    }
    return OptionalInt.of(abort.p1p2());
  }

  /** P1.6.3 and P1.7a get their results when the run ends without deciding them. */
  private void resolveDeferredSteps() {
    if (recorder.started(Step.P1_6_3) && !recorder.finished(Step.P1_6_3)) {
      recorder.record(
          Step.P1_6_3, Result.SKIPPED, "pairing mode ended before P2.3 passed (run ended)");
    }
    if (recorder.started(Step.P1_7A) && !recorder.finished(Step.P1_7A)) {
      recorder.record(Step.P1_7A, Result.SKIPPED, "the run ended before P3.6");
    }
  }

  /** The operator stopped the run (Ctrl-C): the current step ends ERROR, the report is written. */
  private static final class OperatorInterrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OperatorInterrupt() {
      super("interrupted", null, false, false);
    }
  }

  /**
   * Throws when the operator interrupted the run, or when T_OwnerPairing or T_PairingModeTimeout
   * has expired (§13).
   */
  private void checkRunTimers() {
    if (Thread.currentThread().isInterrupted()) {
      throw new OperatorInterrupt();
    }
    timers
        .firstExpired(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout)
        .ifPresent(
            timer -> {
              throw new TimerExpired(timer);
            });
  }

  /** Waits, waking at every run-timer deadline to check it. */
  private void waitFor(Duration duration) throws InterruptedException {
    Instant start = clock.now();
    try {
      waitUntil(start.plus(duration));
    } finally {
      turnaround.excluded(start, clock.now());
    }
  }

  private void waitUntil(Instant end) throws InterruptedException {
    while (clock.now().isBefore(end)) {
      checkRunTimers();
      Instant wake = end;
      for (TimerName t : List.of(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout)) {
        Optional<Instant> deadline = timers.deadline(t);
        if (deadline.isPresent() && deadline.get().isBefore(wake)) {
          wake = deadline.get();
        }
      }
      clock.sleep(Duration.between(clock.now(), wake));
    }
    checkRunTimers();
  }

  /**
   * Polls for a target; when none answers within a second, tells the operator what to do until the
   * deadline of the wait.
   */
  private boolean awaitTarget(Duration wait, String instruction, TimerName bound)
      throws InterruptedException {
    boolean found = awaitTarget(wait);
    if (found) {
      if (waitingSince != null) {
        waitingSince = null;
        listener.waitingOver();
      }
      return true;
    }
    if (waitingSince == null) {
      waitingSince = clock.now();
    }
    if (Duration.between(waitingSince, clock.now()).compareTo(VehicleSession.PROMPT_AFTER) >= 0) {
      listener.waiting(current, instruction, timers.deadline(bound).orElse(clock.now()));
    }
    return false;
  }

  private Instant waitingSince;

  /** Polls for a target, never past the next run-timer deadline. */
  private boolean awaitTarget(Duration wait) throws InterruptedException {
    Duration slice = min(wait, VehicleSession.POLL_SLICE);
    for (TimerName t : List.of(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout)) {
      Optional<Duration> left = timers.remaining(t);
      if (left.isPresent()) {
        slice = min(slice, left.get());
      }
    }
    if (slice.isZero() || slice.isNegative()) {
      checkRunTimers();
      slice = Duration.ofMillis(1);
    }
    boolean found;
    Instant start = clock.now();
    try {
      found = nfc.awaitTarget(slice);
    } catch (TransportException e) {
      throw transportFailure(e, "polling");
    } finally {
      turnaround.excluded(start, clock.now());
    }
    checkRunTimers();
    return found;
  }

  private Duration remaining(TimerName timer) {
    return timers.remaining(timer).orElse(VehicleSession.POLL_SLICE);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void nfcReset() {
    Instant start = clock.now();
    try {
      nfc.reset();
      listener.nfcReset(clock.now());
    } catch (TransportException e) {
      note("NFC reset failed: " + e.getMessage());
    } finally {
      turnaround.excluded(start, clock.now());
    }
  }

  private void stopPairingMode() {
    timers.stop(TimerName.T_PairingModeTimeout);
    if (ble.advertising()) {
      ble.stop();
      listener.advertising(clock.now(), false, "pairing mode ended");
    }
  }

  /** Ends both sessions: the channels go and their keys are zeroed (no copy outlives them). */
  private void closeChannels() {
    session.wipeChannels();
  }

  /** The run is over: dkrig's own key bytes are zeroed (issue 14). */
  private void wipeSessionKeys() {
    closeChannels();
    if (systemKeys != null) {
      systemKeys.wipe();
      systemKeys = null;
    }
  }

  // ------------------------------------------------------- recording helpers

  private void enter(Step step) {
    current = step;
    recorder.begin(step);
  }

  private void pass(Step step, String detail) {
    StepResult result = StepResult.of(step, Result.PASS, recorder.begin(step), clock.now(), detail);
    Integer sw = lastSw.get(step);
    recorder.put(sw == null ? result : result.withSw(sw));
  }

  private void emit(HuEvent event) {
    events.add(event);
    listener.event(event);
  }

  private void note(String text) {
    listener.note(clock.now(), text);
  }

  private static String profileNames(byte[] ids) {
    List<String> names = new ArrayList<>();
    for (byte id : ids) {
      names.add(
          Hex.u8(id & 0xFF)
              + switch (id) {
                case DkProfile.DK_PROFILE_NFC -> " NFC";
                case DkProfile.DK_PROFILE_NFC_BLE -> " NFC+BLE";
                case DkProfile.DK_PROFILE_NFC_BLE_UWB -> " NFC+BLE+UWB";
                default -> "";
              });
    }
    return String.join(", ", names);
  }

  /** ASCII when every byte is printable (T1's "RECEIPT-00000001"), else hex. */
  private static String printable(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7E) {
        return Hex.encode(bytes);
      }
    }
    return "\"" + new String(bytes, java.nio.charset.StandardCharsets.US_ASCII) + "\"";
  }

  private static String scryptText(ScryptParameters scrypt) {
    return "N=" + scrypt.n() + ", r=" + scrypt.r() + ", p=" + scrypt.p();
  }
}
