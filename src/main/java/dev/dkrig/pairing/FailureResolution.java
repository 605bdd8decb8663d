package dev.dkrig.pairing;

import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What §2 and §13 prescribe after a FAIL or ERROR: the result lands on the step it belongs to (and
 * on the steps the catalogue relates to it: {@link Step#subSteps()}, {@link
 * Step#failureDecidesParent()}), the abort goes to the selected application, the sessions end and
 * the HU is told.
 */
final class FailureResolution {
  private final StepRecorder recorder;
  private final RigClock clock;
  private final VehicleLink link;
  private final RunWaits waits;
  private final PairingMode pairingMode;
  private final RunHoldings holdings;

  FailureResolution(
      StepRecorder recorder,
      RigClock clock,
      VehicleLink link,
      RunWaits waits,
      PairingMode pairingMode,
      RunHoldings holdings) {
    this.recorder = recorder;
    this.clock = clock;
    this.link = link;
    this.waits = waits;
    this.pairingMode = pairingMode;
    this.holdings = holdings;
  }

  /** A step failed (or the run failed between steps, in {@code failedStep}'s wake). */
  void stepFailed(Step failedStep, StepFailure failure) {
    // A failure between steps (a wait, an interruption) belongs to the next step not yet decided.
    Step step = failedStep;
    while (recorder.finished(step) && step.ordinal() + 1 < Step.values().length) {
      step = Step.values()[step.ordinal() + 1];
    }
    OptionalInt abortSent = failure.abort().map(link::sendAbort).orElse(OptionalInt.empty());
    StepResult result =
        recordFailure(
            step,
            failure.result(),
            failure.getMessage(),
            failure.sw(),
            abortSent,
            failure.abort(),
            failure.timer());
    for (Step sub : step.subSteps()) {
      recorder.record(sub, failure.result(), "= " + step.id() + ": " + failure.getMessage());
    }
    // P1.6.1/P1.6.2 record their own result; the failure itself lands on P1.6.3 (the next step
    // not yet decided), so the parent is matched on the step that failed.
    if (failedStep.failureDecidesParent()) {
      // The parent comes first in the report, so it carries the sub-step's own cause.
      recordFailure(
          failedStep.parent().orElseThrow(),
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
    afterFailure(step, result);
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
    OptionalInt statusWord = sw.isPresent() ? sw : recorder.lastSw(step);
    if (statusWord.isPresent()) {
      result = result.withSw(statusWord.getAsInt());
    }
    if (abortSent.isPresent() && reason.isPresent()) {
      // The reason of the abort that went out (P2), which a vehicle quirk may have changed.
      result = result.withAbort(abortSent.getAsInt(), AbortReason.of(abortSent.getAsInt() & 0xFF));
    }
    if (timer.isPresent()) {
      result = result.withTimer(timer.get().name());
    }
    return recorder.put(result);
  }

  /**
   * A run-wide timer expired (§13): P1.7a or P1.6.3 FAILs with the timer's abort; the step it
   * interrupted FAILs too; with T_OwnerPairing the stored DK is discarded.
   */
  void timerExpired(TimerName timer, String lastRefusal) {
    Step interrupted = recorder.current();
    Step owner = timer == TimerName.T_OwnerPairing ? Step.P1_7A : Step.P1_6_3;
    AbortReason reason =
        timer == TimerName.T_OwnerPairing
            ? AbortReason.OWNER_PAIRING_TIMEOUT
            : AbortReason.PAIRING_MODE_TIMEOUT;
    // §13: a timer-caused abort is sent only if a session is selected at expiry;
    // T_PairingModeTimeout aborts only a framework session.
    OptionalInt abortSent =
        timer == TimerName.T_PairingModeTimeout && link.session().selected() != Selected.FRAMEWORK
            ? OptionalInt.empty()
            : link.sendAbort(reason);
    String limit = Durations.compact(waits.value(timer));
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
    if (timer == TimerName.T_OwnerPairing) {
      holdings.discardDk();
    }
    afterFailure(owner, ownerResult);
  }

  /** §2: after any FAIL or ERROR. */
  private void afterFailure(Step failing, StepResult result) {
    link.session().wipeChannels();
    link.session().selected(Selected.NONE);
    pairingMode.stop();
    link.stopPolling();
    if (failing.phase() <= 3 && failing != Step.P1_4 && holdings.dkNotActive()) {
      recorder.emit(HuEvent.failure(clock.now(), failing, result.detail()));
    }
    recorder.skipRemaining("not reached: " + failing.id() + " " + result.result());
  }

  /** P1.6.3 and P1.7a get their results when the run ends without deciding them. */
  void resolveDeferredSteps() {
    if (recorder.started(Step.P1_6_3) && !recorder.finished(Step.P1_6_3)) {
      recorder.record(
          Step.P1_6_3, Result.SKIPPED, "pairing mode ended before P2.3 passed (run ended)");
    }
    if (recorder.started(Step.P1_7A) && !recorder.finished(Step.P1_7A)) {
      recorder.record(Step.P1_7A, Result.SKIPPED, "the run ended before P3.6");
    }
  }
}
