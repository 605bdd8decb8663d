package dev.dkrig.phone;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The phone's judge (docs/phone-role.md): follows the pairing event by event, hands each APDU to
 * the phase judge ({@link FrameworkJudge}, {@link AppletJudge}), and owns what cuts across phases:
 * the first contact, aborts (§10.2), the field, the device quirk's reaction, the waits and the end
 * of the run. Guarded by the run's lock.
 */
final class PhoneJudge {
  private final Session s;
  private final FrameworkJudge framework;
  private final AppletJudge applet;
  private final Optional<QuirkWatch> quirk;

  /** The quirk's reaction when it is not an abort: a retry, a return to the field, polling. */
  private final Optional<ReactionWatch> watch;

  private String stopped;
  private Throwable internalError;
  private String byDesign;
  private String noCommonVersion;
  private boolean resetAfterOwnerPairing;

  PhoneJudge(PhoneSettings settings, VirtualDevice device, Instant start) {
    this.s = new Session(settings, device, start);
    this.framework = new FrameworkJudge(s);
    this.applet = new AppletJudge(s, framework::agreedApplet);
    this.quirk = QuirkWatch.of(settings.quirk());
    this.watch =
        ReactionWatch.of(settings)
            .filter(w -> !w.reaction().place().isAbort())
            .filter(
                w ->
                    settings.phase4()
                        || w.reaction().place() != QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT);
  }

  StepBook book() {
    return s.book;
  }

  Step stepInProgress() {
    return s.inProgress;
  }

  boolean ended() {
    return s.ended;
  }

  // ---- events ----

  void fieldOn(Instant at) {
    s.fieldOn = true;
    s.commandsThisActivation = 0;
    if (!s.ended && s.ending == null) {
      watch.ifPresent(w -> w.fieldOn(at));
    }
  }

  void fieldOff(Instant at) {
    boolean wasOn = s.fieldOn;
    s.fieldOn = false;
    s.resetSinceMark = true;
    s.chainPending = false;
    if (!wasOn || s.ended) {
      return;
    }
    if (s.ending != null) {
      s.ended = true;
      return;
    }
    if (watch.isPresent()) {
      watch.get().fieldOff(at);
      if (watching()) {
        // The phone left, or phase 4 polls: the watch judges what the field does (§18.18, §12.2).
        return;
      }
    }
    Optional<QuirkWatch.Judgement> noReaction = quirk.flatMap(watch -> watch.fieldOff(s.last()));
    if (noReaction.isPresent()) {
      reaction(noReaction.get(), at, -1);
      s.ended = true;
      return;
    }
    switch (s.stage) {
      case BEFORE_CONTACT, AWAIT_TX2, AWAIT_APPLET, DONE -> {}
      case AWAIT_PHASE4 -> {
        if (!resetAfterOwnerPairing) {
          resetAfterOwnerPairing = true;
          s.book.info(
              Step.P3_6,
              at,
              "HU event; not observable by the phone (the NFC reset after P3.4 came "
                  + Durations.format(Duration.between(s.mark, at))
                  + " after it)");
        }
      }
      case TX1 -> {
        // Before its first SELECT framework a reader may try other AIDs and reset (PPSE, OEM
        // applets; open question 8); a refused SELECT framework expects the reset of §3.5.
        if (framework.firstSelect() != null
            && !framework.awaitingRetry()
            && s.commandsThisActivation > 0) {
          fieldLost(at);
        }
      }
      default -> fieldLost(at);
    }
  }

  private void fieldLost(Instant at) {
    String detail = "field lost after " + s.last();
    if (s.inProgress == Step.P2_4 && !s.book.isDecided(Step.P2_4)) {
      detail =
          "field lost after WRITE DATA piece "
              + framework.pieces()
              + ", before the P1 = 80 piece (the vehicle dropped the session; §3.2)";
    } else {
      detail += " (the vehicle dropped the session where the contract places no reset; §3.2)";
    }
    s.fail(s.inProgress, at, detail, -1);
    s.ended = true;
  }

  /** One command and the phone's answer; returns the step the command belongs to. */
  Step apdu(PhoneEvent.Apdu apdu, boolean safetyNet) {
    Instant at = apdu.at();
    VehicleCommand command = VehicleCommand.of(apdu.command());
    int sw = apdu.sw();
    if (!command.isAbort()) {
      // An abort 04 is about the answer before it (§13 T_Apdu).
      s.lastAnswering = apdu.answering();
    }
    if (s.stage == Session.Stage.BEFORE_CONTACT) {
      if (!s.fieldOn) {
        // Not activated: the device stayed silent; no contact yet (§3.2).
        return Step.P1_6_1;
      }
      firstContact(at);
    }
    s.commandsThisActivation++;
    if (s.ending != null || s.ended) {
      remember(command, sw);
      return s.inProgress;
    }
    if (safetyNet) {
      internalError =
          new IllegalStateException(
              "the phone's virtual device failed on " + command.describe() + " (answered 6985)");
      s.error(
          s.inProgress,
          at,
          "dkrig bug: the phone's device failed on " + command.describe() + " (answered 6985)");
      remember(command, sw);
      return s.inProgress;
    }
    if (watch.isPresent()) {
      Optional<Step> watched = watched(command, apdu);
      if (watched.isPresent()) {
        remember(command, sw);
        return watched.get();
      }
    }
    Optional<QuirkWatch.Judgement> reacted = quirk.flatMap(w -> w.command(command, s.last()));
    if (reacted.isPresent()) {
      reaction(reacted.get(), at, command.isAbort() ? command.p1p2() : -1);
      remember(command, sw);
      return quirk.get().reaction().step();
    }
    if (command.isAbort()) {
      Step failed = abort(command, at);
      remember(command, sw);
      return failed;
    }
    s.commandStep = null;
    Step before = s.inProgress;
    switch (s.stage) {
      case TX1, AWAIT_TX2, TX2 -> framework.handle(command, apdu);
      case AWAIT_APPLET, APPLET, AWAIT_PHASE4, PHASE4 -> applet.handle(command, apdu);
      default -> s.unexpected(command, sw, at);
    }
    int tag = command.is(VehicleCommand.Kind.GET_DATA) ? s.device.lastGetDataTag().orElse(-1) : -1;
    quirk.ifPresent(w -> w.answered(command, sw, tag, at));
    if (watch.isPresent() && !watch.get().triggered()) {
      // P3.4's 01 00 starts the wait for phase-4 polling (never-set-sigbmp).
      watch.get().apdu(apdu);
    }
    Step step = s.commandStep != null ? s.commandStep : before;
    remember(command, sw);
    return step;
  }

  private void remember(VehicleCommand command, int sw) {
    s.lastCommand = command;
    s.lastSw = sw;
  }

  /**
   * The watch of a non-abort reaction sees the command first. Returns the step the command belongs
   * to when the watch alone judges it: the phone has left the field or phase 4 polls (the phase
   * judges stay out), or the command decided the reaction.
   */
  private Optional<Step> watched(VehicleCommand command, PhoneEvent.Apdu apdu) {
    ReactionWatch w = watch.orElseThrow();
    Step step = w.reaction().step();
    QuirkReactions.Place place = w.reaction().place();
    if (w.decided()) {
      return Optional.empty();
    }
    boolean before = w.triggered();
    if (!before && place == QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT) {
      return Optional.empty();
    }
    if (before
        && place == QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT
        && command.is(VehicleCommand.Kind.SELECT_FRAMEWORK)) {
      w.newSession(apdu.at());
    } else {
      w.apdu(apdu);
    }
    if (place == QuirkReactions.Place.RETRY_AFTER_NOT_READY) {
      // A retry the watch PASSes is P2.1's SELECT framework, judged on by the framework judge.
      if (w.decided()) {
        watchDecided(apdu.at());
        return w.decision().orElseThrow().result() == Result.PASS
            ? Optional.empty()
            : Optional.of(step);
      }
      return Optional.empty();
    }
    if (w.decided()) {
      watchDecided(apdu.at());
      return Optional.of(step);
    }
    return w.triggered() ? Optional.of(step) : Optional.empty();
  }

  /** Whether the watch alone follows the vehicle now (the phone left; phase 4 polls). */
  private boolean watching() {
    return watch
        .filter(w -> w.triggered() && !w.decided())
        .filter(w -> w.reaction().place() != QuirkReactions.Place.RETRY_AFTER_NOT_READY)
        .isPresent();
  }

  /**
   * The watch decided: its step takes the decision. A PASS of a retry lets the pairing go on (P2.1
   * PASSes when the vehicle goes on); a PASS of the other two is the pairing not completed by
   * design; a FAIL fails the step.
   */
  private void watchDecided(Instant at) {
    ReactionWatch w = watch.orElseThrow();
    ReactionWatch.Decision decision = w.decision().orElseThrow();
    QuirkReactions.Reaction reaction = w.reaction();
    if (decision.result() != Result.PASS) {
      s.fail(decision.step(), decision.at(), decision.detail(), -1);
      s.endingFrom(at);
      return;
    }
    if (reaction.place() == QuirkReactions.Place.RETRY_AFTER_NOT_READY) {
      framework.retryJudged(decision.detail());
      return;
    }
    if (reaction.place() == QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT) {
      s.book.pass(Step.P4_1, decision.at(), "the vehicle polled as judged in P4.2.1");
      s.book.pass(Step.P4_2, decision.at(), "the vehicle polled as judged in P4.2.1");
    }
    s.book.pass(decision.step(), decision.at(), decision.detail());
    byDesign = "pairing not completed by design (device quirk " + reaction.quirk().cliName() + ")";
    s.endingFrom(at);
  }

  private void firstContact(Instant at) {
    s.book.pass(Step.P1_6_1, at, "the phone was activated and received a command");
    s.book.info(Step.P1_6_2, at, "no BLE adapter watches in this version (§14.1)");
    s.book.pass(Step.P1_6, at, "P1.6.1 PASS, P1.6.2 INFO");
    s.stage = Session.Stage.TX1;
    s.begin(Step.P2_1, at);
  }

  /** The vehicle's reaction to the phone's quirk: PASS or FAIL of the reaction's step. */
  private void reaction(QuirkWatch.Judgement judgement, Instant at, int abort) {
    QuirkReactions.Reaction reaction = quirk.orElseThrow().reaction();
    Step step = reaction.step();
    if (judgement.reacted()) {
      step.parent()
          .ifPresent(
              parent -> {
                for (Step sibling : Step.catalogue()) {
                  if (sibling.parent().equals(Optional.of(parent))
                      && sibling.ordinal() < step.ordinal()) {
                    s.book.pass(
                        sibling, at, "the vehicle went on to the reaction judged in " + step);
                  }
                }
              });
      s.book.pass(step, at, judgement.detail());
      byDesign =
          "pairing not completed by design (device quirk " + reaction.quirk().cliName() + ")";
      s.endingFrom(at);
    } else {
      s.fail(step, at, judgement.detail(), -1);
    }
    if (abort >= 0) {
      s.book.attachAbort(step, abort);
    }
  }

  /** §10.2 from the phone's side (docs/phone-role.md, "Aborts"). */
  private Step abort(VehicleCommand command, Instant at) {
    int code = command.abortCode();
    int p1p2 = command.p1p2();
    String meaning =
        StepBook.reasonOf(code).map(AbortReason::meaning).orElse("a code §10.2 never sends");
    String text =
        "the vehicle aborted " + AbortRules.spaced(p1p2) + " (" + meaning + ") after " + s.last();
    if (code == DkProfile.ABORT_ATTEMPT_LIMIT) {
      s.error(
          Step.P2_3,
          at,
          text
              + ": the vehicle's SPAKE2+ attempt limit (§5.6); nothing could be tested: re-provision"
              + " the vehicle's verifier");
      s.book.attachAbort(Step.P2_3, p1p2);
      return Step.P2_3;
    }
    boolean versionAbort =
        code == DkProfile.ABORT_NO_COMMON_SPAKE2_VERSION
            || code == DkProfile.ABORT_NO_COMMON_APPLET_VERSION;
    if (versionAbort && s.stage == Session.Stage.TX1 && framework.nothingInCommon(code)) {
      s.book.pass(Step.P2_1A, at, "the vehicle went on to an abort its version lists justify");
      s.book.pass(Step.P2_2, at, text + ": right, the phone offered no version of §16's list (§4)");
      s.book.attachAbort(Step.P2_2, p1p2);
      noCommonVersion =
          "no common version (the vehicle's abort " + AbortRules.spaced(p1p2) + " was right)";
      s.endingFrom(at);
      return Step.P2_2;
    }
    Step step = AbortRules.stepFor(code, Math.max(2, s.stage.phase()), s.inProgress);
    text += timingNote(code, at);
    if (step == Step.P2_6_2
        && s.book.get(Step.P2_6).map(r -> r.result() == Result.PASS).orElse(false)) {
      s.book.pass(Step.P2_6_1, at, "the vehicle aborted 12 0A, not 12 0B: the chain passed");
    }
    s.book.failWithAbort(step, at, text, p1p2);
    s.endingFrom(at);
    return step;
  }

  private String timingNote(int code, Instant at) {
    Instant firstSelect = framework.firstSelect();
    return switch (code) {
      case DkProfile.ABORT_PAIRING_MODE_TIMEOUT, DkProfile.ABORT_OWNER_PAIRING_TIMEOUT -> {
        TimerName timer =
            code == DkProfile.ABORT_PAIRING_MODE_TIMEOUT
                ? TimerName.T_PairingModeTimeout
                : TimerName.T_OwnerPairing;
        if (firstSelect == null) {
          yield "";
        }
        Duration since = Duration.between(firstSelect, at);
        yield "; "
            + s.timing
                .late(timer, since, "came after the first SELECT framework:")
                .map(late -> "provably late: " + late)
                .orElse(s.timing.measured(timer, since, "came after the first SELECT framework:"));
      }
      case DkProfile.ABORT_KEY_CREATION_TIMEOUT -> {
        if (s.mark == null) {
          yield "";
        }
        Duration since = Duration.between(s.mark, at);
        yield "; "
            + s.timing
                .early(TimerName.T_KeyCreation, since, "came after 10 01:")
                .orElse(s.timing.measured(TimerName.T_KeyCreation, since, "came after 10 01:"));
      }
      case DkProfile.ABORT_APDU_TIMEOUT ->
          "; "
              + s.timing
                  .early(
                      TimerName.T_Apdu, s.lastAnswering, "the phone answered the last command in")
                  .orElse(
                      s.timing.measured(
                          TimerName.T_Apdu,
                          s.lastAnswering,
                          "the phone answered the last command in"));
      default -> "";
    };
  }

  void hostFailed(Instant at, String cause) {
    s.error(s.inProgress, at, "the phone's transport failed: " + cause);
    s.ended = true;
  }

  void stop(Instant at, String why) {
    stopped = why;
    if (!s.book.isDecided(s.inProgress)) {
      s.error(s.inProgress, at, "interrupted: " + why);
    }
    s.ended = true;
  }

  // ---- waits ----

  /** When the phone stops waiting for what it expects next; empty while the field carries on. */
  Optional<Instant> deadline() {
    if (s.ended) {
      return Optional.empty();
    }
    if (s.ending != null) {
      return Optional.of(s.ending.plus(s.settings.phase4Wait()));
    }
    Optional<Instant> watchDue = watch.filter(w -> !w.decided()).flatMap(ReactionWatch::deadline);
    if (watchDue.isPresent()) {
      return watchDue;
    }
    Optional<Instant> reactionDue =
        quirk.flatMap(QuirkWatch::waitingSince).map(t -> t.plus(s.settings.phase4Wait()));
    if (reactionDue.isPresent()) {
      return reactionDue;
    }
    return switch (s.stage) {
      case BEFORE_CONTACT ->
          Optional.of(
              s.start.plus(
                  s.timing.wait(
                      TimerName.T_PairingModeTimeout, PhoneSettings.DEFAULT_FIRST_CONTACT_WAIT)));
      case TX1 ->
          framework.awaitingRetry() && !s.fieldOn
              ? Optional.of(
                  framework
                      .refusedAt()
                      .plus(
                          s.timing.wait(
                              TimerName.T_NotReadyRetry, PhoneSettings.DEFAULT_TX_GAP_WAIT)))
              : Optional.empty();
      case AWAIT_TX2, AWAIT_APPLET ->
          Optional.of(
              s.mark.plus(s.timing.wait(TimerName.T_TxGap, PhoneSettings.DEFAULT_TX_GAP_WAIT)));
      case AWAIT_PHASE4 -> Optional.of(s.mark.plus(s.settings.phase4Wait()));
      default -> Optional.empty();
    };
  }

  void deadlinePassed(Instant at) {
    if (s.ending != null) {
      s.ended = true;
      return;
    }
    if (watch.filter(w -> !w.decided()).flatMap(ReactionWatch::deadline).isPresent()) {
      watch.get().deadlinePassed(at);
      if (watch.get().decided()) {
        watchDecided(at);
        s.ended = true;
        return;
      }
    }
    Optional<Instant> reactionWait = quirk.flatMap(QuirkWatch::waitingSince);
    if (reactionWait.isPresent()) {
      reaction(quirk.get().timedOut(s.last(), Duration.between(reactionWait.get(), at)), at, -1);
      s.ended = true;
      return;
    }
    switch (s.stage) {
      case BEFORE_CONTACT ->
          s.error(
              Step.P1_6_1,
              at,
              "no first contact within "
                  + Durations.format(Duration.between(s.start, at))
                  + ": the vehicle did not reach the phone (nothing was tested)");
      case TX1 ->
          s.fail(
              Step.P2_1,
              at,
              "no retry of the SELECT framework within "
                  + Durations.format(Duration.between(framework.refusedAt(), at))
                  + " after the phone answered it not ready (§2.2 P2.1)",
              -1);
      case AWAIT_TX2 ->
          s.fail(
              Step.P2_5,
              at,
              "no transaction-2 SELECT framework within "
                  + Durations.format(Duration.between(s.mark, at))
                  + " after 10 01 (§2.2, §13 T_TxGap)",
              -1);
      case AWAIT_APPLET ->
          s.fail(
              Step.P3_1,
              at,
              "no SELECT applet within "
                  + Durations.format(Duration.between(s.mark, at))
                  + " after 11 11 (§2.3, §13 T_TxGap)",
              -1);
      case AWAIT_PHASE4 -> applet.phase4WaitOver(at);
      default -> {}
    }
    s.ended = true;
  }

  // ---- the end ----

  /** All 42 results: what was seen, the observable-by-nobody rows, the rest SKIPPED with why. */
  List<StepResult> finish(Instant at) {
    boolean contact = s.book.isDecided(Step.P1_6_1) && s.stage != Session.Stage.BEFORE_CONTACT;
    s.book.info(Step.P1_1, at, "vehicle internal; not observable by the phone");
    s.book.info(Step.P1_2, at, "HU event; not observable by the phone (§15)");
    s.book.info(Step.P1_3, at, "HU event; not observable by the phone (§15)");
    s.book.info(
        Step.P1_4,
        at,
        "vehicle internal; not observable by the phone"
            + (framework.requestSeen()
                ? " (a REQUEST came: the vehicle holds a verifier)"
                : " (no REQUEST came)"));
    s.book.info(Step.P1_4A, at, "backend event; not observable by the phone (§15)");
    s.book.info(Step.P1_5, at, "HU event; not observable by the phone (§15)");
    if (contact) {
      s.book.info(Step.P1_6_3, at, "vehicle timer; not observable by the phone (no 12 07 came)");
      s.book.info(Step.P1_7, at, "vehicle internal; not observable by the phone");
      s.book.info(Step.P1_7A, at, "vehicle timer; not observable by the phone (no 03 abort came)");
    }
    boolean pollingByDesign =
        watch
            .filter(w -> w.reaction().place() == QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT)
            .isPresent();
    if (applet.ownerPaired().isPresent() && (byDesign == null || pollingByDesign)) {
      s.book.info(Step.P3_5, at, "the phone's simulated KTS: " + ktsStatus());
      s.book.info(Step.P3_6, at, "HU event; not observable by the phone");
    }
    Optional<StepResult> problem = s.book.problem();
    return s.book.complete(
        at,
        step -> {
          if (step.phase() == 4 && !s.settings.phase4()) {
            return "phase 4 disabled (--no-phase4)";
          }
          if (byDesign != null) {
            return "not reached: " + byDesign;
          }
          if (noCommonVersion != null) {
            return "not reached: " + noCommonVersion;
          }
          if (stopped != null) {
            return "not reached: interrupted (" + stopped + ")";
          }
          return problem
              .map(p -> "not reached: " + p.step().id() + " " + p.result())
              .orElse("not reached");
        });
  }

  private String ktsStatus() {
    Optional<String> refusal = s.device.lastKtsRefusal();
    if (refusal.isPresent()) {
      return "refused to issue a receipt: " + refusal.get();
    }
    return applet.key().map(k -> k.receiptStored()).orElse(false)
        ? "issued a receipt"
        : "no receipt issued yet (T_KtsDelay)";
  }

  Optional<Throwable> internalError() {
    return Optional.ofNullable(internalError);
  }

  Optional<String> notCompletedByDesign() {
    return Optional.ofNullable(byDesign);
  }
}
