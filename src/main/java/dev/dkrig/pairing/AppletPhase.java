package dev.dkrig.pairing;

import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Checks;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Phase 3, NFC session 2 (§2): the applet is selected (P3.1), its version checked (P3.2), a
 * standard transaction run (P3.3) and owner pairing finalised (P3.4 to P3.7), one method per step.
 */
final class AppletPhase extends PhaseSteps {
  private final StandardTransaction transaction;
  private final RunHoldings holdings;

  AppletPhase(Parts parts, StandardTransaction transaction, RunHoldings holdings) {
    super(parts);
    this.transaction = transaction;
    this.holdings = holdings;
  }

  /** Session 2; the DK is ACTIVE. */
  OwnerPaired run(DkCreated created) throws InterruptedException {
    Negotiated negotiated = created.negotiated();
    SelectAppletResponse select = selectApplet();
    checkAppletVersion(select, negotiated);
    TransactionKeys keys = standardTransaction(select, negotiated);
    finaliseOwnerPairing(keys);
    keyTrackingRequest();
    Instant completedAt = notifyHeadUnit();
    notifyBackend(completedAt);
    return new OwnerPaired(negotiated.agreedApplet(), completedAt);
  }

  /** P3.1 and P3.1a: re-poll and SELECT applet within T_TxGap after P2.8. */
  SelectAppletResponse selectApplet() throws InterruptedException {
    enter(Step.P3_1);
    while (true) {
      waits.checkRunTimers();
      if (waits.expired(TimerName.T_TxGap)) {
        throw StepFailure.timer(
            TimerName.T_TxGap,
            "T_TxGap ("
                + Durations.compact(waits.value(TimerName.T_TxGap))
                + ") expired before the device was presented again for session 2; code 06, not sent",
            null);
      }
      if (waits.awaitTarget(
          waits.remaining(TimerName.T_TxGap),
          "keep the phone on the pad (or place it back): session 2, the applet's standard"
              + " transaction",
          TimerName.T_TxGap)) {
        break;
      }
    }
    ResponseApdu response = link.send(FrameworkCommands.selectApplet());
    waits.timers().stop(TimerName.T_TxGap);
    Checks.check(response, "SELECT applet", null);
    session.selected(Selected.APPLET);
    pass(Step.P3_1, "9000");
    enter(Step.P3_1A);
    SelectAppletResponse parsed = VehicleSession.parseAppletSelect(response);
    pass(Step.P3_1A, "well formed: " + parsed);
    return parsed;
  }

  /** P3.2: the version agreed in P2.2 must be in the 5C list (§4). */
  void checkAppletVersion(SelectAppletResponse select, Negotiated negotiated) {
    enter(Step.P3_2);
    VehicleSession.requireAgreedVersion(select, negotiated.agreedApplet());
    pass(Step.P3_2, "agreed version " + Hex.u16(negotiated.agreedApplet()) + " offered");
  }

  /** P3.3: AUTH0, key derivation, AUTH1 and the checks of §11.6. */
  TransactionKeys standardTransaction(SelectAppletResponse select, Negotiated negotiated) {
    enter(Step.P3_3);
    TransactionPending pending =
        transaction.auth0(negotiated.agreedApplet(), select.appletVersions());
    Auth1ResponsePlaintext auth1 = transaction.auth1(pending);
    pass(
        Step.P3_3,
        "AUTH0 → 86 valid; AUTH1 → 9000, R-MAC valid, endpoint signature valid, key slot "
            + Hex.encode(auth1.keySlot())
            + "; SigBmp "
            + Hex.u16(auth1.sigBmp()));
    return pending.keys();
  }

  /** P3.4: CONTROL FLOW 80 3C 01 00; the DK becomes ACTIVE (§11.8). */
  void finaliseOwnerPairing(TransactionKeys keys) {
    enter(Step.P3_4);
    // §18.6: a failed CONTROL FLOW is followed by the abort 80 3C 00 00.
    transaction.end(keys);
    holdings.store(holdings.dk().withState(DkState.ACTIVE, clock.now()));
    pass(Step.P3_4, "01 00 → 9000; DK " + holdings.dk().dkId() + " ACTIVE, Kpersistent stored");
  }

  /** P3.5: not observable by the vehicle. */
  void keyTrackingRequest() {
    enter(Step.P3_5);
    recorder.record(
        Step.P3_5,
        Result.INFO,
        "not observable by the vehicle: the device sends its key-tracking request via its OEM server");
  }

  /** P3.6: HU_NTF OP_SUCCESS; T_OwnerPairing stops; NFC reset. */
  Instant notifyHeadUnit() {
    enter(Step.P3_6);
    emit(HuEvent.notification(clock.now(), HuEvent.NotificationCode.OP_SUCCESS));
    Duration elapsed =
        waits
            .timers()
            .remaining(TimerName.T_OwnerPairing)
            .map(left -> waits.value(TimerName.T_OwnerPairing).minus(left))
            .orElse(Duration.ZERO);
    waits.timers().stop(TimerName.T_OwnerPairing);
    Instant completedAt = clock.now();
    recorder.record(
        Step.P1_7A,
        Result.PASS,
        "P3.6 reached "
            + Durations.format(elapsed)
            + " after P1.7 (T_OwnerPairing "
            + Durations.compact(waits.value(TimerName.T_OwnerPairing))
            + ")");
    session.selected(Selected.NONE);
    link.reset();
    pass(Step.P3_6, "HU_NTF OP_SUCCESS emitted: owner pairing complete");
    return completedAt;
  }

  /** P3.7 and its marker sub-steps: OwnerPairingPass_Ack (not gating). */
  void notifyBackend(Instant completedAt) {
    enter(Step.P3_7);
    if (!settings.backend()) {
      recorder.record(Step.P3_7, Result.SKIPPED, "backend notification disabled by the profile");
      recorder.record(Step.P3_7_1, Result.SKIPPED, "= P3.7");
    } else {
      Map<String, String> payload = new LinkedHashMap<>();
      payload.put("vehicleId", settings.vehicleIdHex());
      payload.put("dkId", holdings.dk().dkId().hex());
      payload.put("completedAt", completedAt.toString());
      emit(new HuEvent(HuEvent.OWNER_PAIRING_PASS_ACK, clock.now(), payload));
      pass(Step.P3_7, "OwnerPairingPass_Ack emitted");
      pass(Step.P3_7_1, "SpaaK → SGW → TBM → Vehicle OEM server (backend stub)");
    }
    recorder.record(Step.P3_7_2, Result.INFO, "not required to pass owner pairing");
  }
}
