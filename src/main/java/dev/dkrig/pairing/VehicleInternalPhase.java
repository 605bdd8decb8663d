package dev.dkrig.pairing;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.random.Draws;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Phase 1, inside the vehicle (§2): P1.1 to P1.7, one method per step. */
final class VehicleInternalPhase extends PhaseSteps {
  private final PairingMode pairingMode;
  private final Draws draws;
  private final RunHoldings holdings;

  VehicleInternalPhase(Parts parts, PairingMode pairingMode, Draws draws, RunHoldings holdings) {
    super(parts);
    this.pairingMode = pairingMode;
    this.draws = draws;
    this.holdings = holdings;
  }

  /** Phase 1; empty when the run ends at P1.4a (no verifier). */
  Optional<PairingModeEntered> run() {
    ignitionOn();
    addDigitalKeyChosen();
    phoneKeyRequest();
    Optional<ValidVerifier> verifier = checkVerifier();
    if (verifier.isEmpty()) {
      return Optional.empty();
    }
    deepLinkNotification();
    Instant since = enterPairingMode();
    startOwnerPairingTimer();
    return Optional.of(new PairingModeEntered(verifier.get(), since));
  }

  /** P1.1: the ignition input. */
  void ignitionOn() {
    enter(Step.P1_1);
    if (!settings.ignitionOn()) {
      throw StepFailure.error(
          "precondition: ignition is OFF (turn it on; profile vehicle.ignition)", null);
    }
    pass(Step.P1_1, "ignition ON");
  }

  /** P1.2: the HU stub records the owner's choice (the run start). */
  void addDigitalKeyChosen() {
    enter(Step.P1_2);
    pass(Step.P1_2, "owner chose \"add digital key\" on the HU (run start)");
  }

  /** P1.3: PhoneKey_Req [Add Phone] from the HU (§15). */
  void phoneKeyRequest() {
    enter(Step.P1_3);
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("request", "Add Phone");
    emit(new HuEvent(HuEvent.PHONE_KEY_REQ, clock.now(), payload));
    pass(Step.P1_3, "PhoneKey_Req received: request = \"Add Phone\"");
  }

  /** P1.4 and P1.4a: the SPAKE2+ verifier exists and is valid (§5.1), else PP-03. */
  Optional<ValidVerifier> checkVerifier() {
    enter(Step.P1_4);
    ValidVerifier valid;
    try {
      VerifierSource source = settings.verifier();
      if (source instanceof VerifierSource.FromPassword fromPassword) {
        byte[] salt =
            fromPassword.salt().orElseGet(() -> draws.bytes(Draws.Names.VERIFIER_SALT, 16));
        startPrecomputation();
        ScryptParameters scrypt =
            new ScryptParameters(salt, fromPassword.n(), fromPassword.r(), fromPassword.p());
        Verifier verifier = Verifier.provision(fromPassword.password(), scrypt).validate();
        holdings.precomputation().verifierKnown(verifier);
        valid = new ValidVerifier(verifier, false);
        pass(
            Step.P1_4,
            "verifier derived from the profile's password (rig as OEM server, §18.20): "
                + scryptText(scrypt));
      } else if (source instanceof VerifierSource.Provisioned provisioned) {
        startPrecomputation();
        Verifier verifier = provisioned.verifier().validate();
        holdings.precomputation().verifierKnown(verifier);
        valid = new ValidVerifier(verifier, true);
        pass(
            Step.P1_4,
            "provisioned verifier "
                + verifier.fingerprint()
                + " valid: "
                + scryptText(verifier.scrypt()));
      } else {
        throw new CccException(
            CccException.Failure.MALFORMED, ((VerifierSource.Absent) source).why());
      }
    } catch (CccException | IllegalArgumentException e) {
      recorder.record(Step.P1_4, Result.ERROR, "no valid SPAKE2+ verifier: " + e.getMessage());
      followPp03();
      return Optional.empty();
    }
    recorder.record(Step.P1_4A, Result.SKIPPED, "a valid verifier exists");
    return Optional.of(valid);
  }

  /**
   * Issue 20: y and the transactions' inputs are drawn here, in today's order, and their points
   * computed on the other core while P1.4 derives the verifier.
   */
  private void startPrecomputation() {
    holdings.precomputation(
        Precomputation.start(draws, settings.phase4() ? 2 : 1, settings.trustAnchors()));
  }

  /** P1.4a: PP-03 (§15): PP03_Req to the OEM server and HU_NTF OP_NO_VERIFIER, end of run. */
  void followPp03() {
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
  void deepLinkNotification() {
    enter(Step.P1_5);
    emit(HuEvent.notification(clock.now(), HuEvent.NotificationCode.OP_DEEPLINK));
    pass(Step.P1_5, "HU_NTF OP_DEEPLINK emitted");
  }

  /**
   * P1.6, P1.6.1, P1.6.2: NFC polling, BLE advertising, T_PairingModeTimeout. Returns when pairing
   * mode started.
   */
  Instant enterPairingMode() {
    enter(Step.P1_6);
    enter(Step.P1_6_1);
    try {
      link.startPolling();
    } catch (TransportException e) {
      link.unusable();
      recorder.record(Step.P1_6_1, Result.ERROR, "reader unavailable: " + e.getMessage());
      for (Step skipped : Step.P1_6_1.skippedAfterFailure()) {
        recorder.record(skipped, Result.SKIPPED, "not reached: NFC polling did not start");
      }
      throw StepFailure.error("P1.6.1 ERROR: NFC polling did not start", e);
    }
    pass(Step.P1_6_1, "owner-pairing NFC polling active on " + link.description());
    String bleText;
    enter(Step.P1_6_2);
    if (!pairingMode.bleEnabled()) {
      recorder.record(Step.P1_6_2, Result.SKIPPED, pairingMode.describeBle());
      bleText = "BLE off";
    } else {
      try {
        pairingMode.startAdvertising(settings.brand(), settings.ble().spsm());
      } catch (RuntimeException e) {
        recorder.record(
            Step.P1_6_2, Result.ERROR, "BLE advertising did not start: " + e.getMessage());
        throw StepFailure.error("P1.6.2 ERROR: BLE advertising did not start", e);
      }
      pairingMode.advertisingStarted(settings.brand());
      pass(
          Step.P1_6_2,
          "advertising FFF5 with intent 01 and brand "
              + Hex.encode(settings.brand())
              + pairingMode.describeBle());
      bleText = "BLE advertising";
    }
    waits.timers().start(TimerName.T_PairingModeTimeout);
    Instant since = clock.now();
    recorder.begin(Step.P1_6_3);
    pass(
        Step.P1_6,
        "pairing mode entered: NFC polling, "
            + bleText
            + ", T_PairingModeTimeout "
            + Durations.compact(waits.value(TimerName.T_PairingModeTimeout)));
    return since;
  }

  /** P1.7: T_OwnerPairing starts; P1.7a is decided at P3.6 or at expiry. */
  void startOwnerPairingTimer() {
    enter(Step.P1_7);
    waits.timers().start(TimerName.T_OwnerPairing);
    recorder.begin(Step.P1_7A);
    pass(
        Step.P1_7,
        "T_OwnerPairing started ("
            + Durations.compact(waits.value(TimerName.T_OwnerPairing))
            + ")");
  }

  private static String scryptText(ScryptParameters scrypt) {
    return "N=" + scrypt.n() + ", r=" + scrypt.r() + ", p=" + scrypt.p();
  }
}
