package dev.dkrig.phone;

import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The phone's judge (first cut: first contact, host failure, stop; the rest is not judged yet). */
final class PhoneJudge {
  private final PhoneSettings settings;
  private final StepBook book = new StepBook();
  private final Instant start;
  private Step inProgress = Step.P1_6_1;
  private boolean contact;
  private boolean ended;
  private String stopped;

  PhoneJudge(PhoneSettings settings, VirtualDevice device, Instant start) {
    this.settings = settings;
    this.start = start;
  }

  StepBook book() {
    return book;
  }

  Step stepInProgress() {
    return inProgress;
  }

  void fieldOn(Instant at) {}

  void fieldOff(Instant at) {}

  Step apdu(PhoneEvent.Apdu apdu, boolean safetyNet) {
    if (!contact) {
      contact = true;
      book.pass(Step.P1_6_1, apdu.at(), "activated; first command received");
      inProgress = Step.P2_1;
    }
    return inProgress;
  }

  void hostFailed(Instant at, String cause) {
    book.error(inProgress, at, "the phone's transport failed: " + cause);
    ended = true;
  }

  void stop(Instant at, String why) {
    book.error(inProgress, at, "interrupted: " + why);
    stopped = why;
    ended = true;
  }

  Optional<Instant> deadline() {
    return contact
        ? Optional.empty()
        : Optional.of(
            start.plus(
                settings
                    .timer(dev.dkrig.time.TimerName.T_PairingModeTimeout)
                    .orElse(PhoneSettings.DEFAULT_FIRST_CONTACT_WAIT)));
  }

  void deadlinePassed(Instant at) {
    book.error(Step.P1_6_1, at, "no first contact: the vehicle did not reach the phone");
    ended = true;
  }

  boolean ended() {
    return ended;
  }

  List<StepResult> finish(Instant at) {
    return book.complete(
        at,
        step ->
            stopped != null
                ? "not reached: interrupted"
                : "not judged: the phone's judge for this step is not written yet");
  }

  Optional<Throwable> internalError() {
    return Optional.empty();
  }

  Optional<String> notCompletedByDesign() {
    return Optional.empty();
  }
}
