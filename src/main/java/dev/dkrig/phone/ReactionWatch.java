package dev.dkrig.phone;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Judges the vehicle's reaction to one device quirk (docs/phone-role.md, "Device quirks") from what
 * reaches the phone, in order: field on, field off, each command with the phone's answer. Fed as
 * the events happen ({@link #fieldOn}, {@link #fieldOff}, {@link #apdu}), or afterwards from a
 * run's events ({@link #judge}); waits are bounded by {@link #deadline()}. The decision is final:
 * the reaction's step, PASS or FAIL, when, why, and the abort the vehicle sent.
 *
 * <p>An abort reaction PASSes when the required abort is the vehicle's next command at the place
 * and nothing but the NFC reset follows it; a wrong code, a command that shows the vehicle went on,
 * or the field dropped without the abort FAILs. The three other reactions (a retry, a return to the
 * field, phase-4 polling) follow their own rules, with the timers the user gave.
 */
public final class ReactionWatch {

  /**
   * The judged reaction.
   *
   * @param abort the abort's P1 P2 when the vehicle sent one in the window
   */
  public record Decision(Step step, Result result, Instant at, String detail, OptionalInt abort) {}

  private enum Phase {
    WAITING,
    ARMED,
    ABORTED,
    DONE
  }

  private final QuirkReactions.Reaction reaction;
  private final PhoneSettings settings;
  private final String quirkName;
  private Phase phase = Phase.WAITING;
  private Instant armedAt;
  private Instant triggerArrival;
  private String triggerText = "";
  private boolean fieldWentOff;
  private boolean returned;
  private OptionalInt abortSeen = OptionalInt.empty();
  private Instant abortAt;
  private String abortText = "";
  private int transactions;
  private Instant lastStart;
  private Instant lastEnd;
  private Decision decision;

  public ReactionWatch(QuirkReactions.Reaction reaction, PhoneSettings settings) {
    this.reaction = reaction;
    this.settings = settings;
    this.quirkName = reaction.quirk().cliName();
  }

  /** The watch for the settings' quirk, if it has one the phone role takes. */
  public static Optional<ReactionWatch> of(PhoneSettings settings) {
    return settings
        .quirk()
        .flatMap(QuirkReactions::of)
        .map(reaction -> new ReactionWatch(reaction, settings));
  }

  /** Runs a whole event list through a new watch, then its wait up to {@code end}. */
  public static Optional<Decision> judge(
      PhoneSettings settings, List<PhoneEvent> events, Instant end) {
    Optional<ReactionWatch> watch = of(settings);
    if (watch.isEmpty()) {
      return Optional.empty();
    }
    ReactionWatch w = watch.get();
    for (PhoneEvent event : events) {
      if (w.decided()) {
        break;
      }
      w.deadline().filter(d -> !event.at().isBefore(d)).ifPresent(d -> w.deadlinePassed(d));
      if (event instanceof PhoneEvent.FieldOn on) {
        w.fieldOn(on.at());
      } else if (event instanceof PhoneEvent.FieldOff off) {
        w.fieldOff(off.at());
      } else if (event instanceof PhoneEvent.Apdu apdu) {
        w.apdu(apdu);
      }
    }
    w.deadline().filter(d -> !end.isBefore(d)).ifPresent(w::deadlinePassed);
    w.runEnded(end);
    return w.decision();
  }

  public QuirkReactions.Reaction reaction() {
    return reaction;
  }

  /** Whether the phone's misbehaviour has happened: the vehicle's reaction is awaited or judged. */
  public boolean triggered() {
    return phase != Phase.WAITING;
  }

  /**
   * The vehicle began a new session (a SELECT framework outside transaction 2) while the watch
   * waits: polling is over, and any other awaited reaction did not come.
   */
  public void newSession(Instant at) {
    if (phase != Phase.ARMED) {
      return;
    }
    if (reaction.place() == QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT) {
      pollingOver(at);
    }
  }

  public boolean decided() {
    return decision != null;
  }

  public Optional<Decision> decision() {
    return Optional.ofNullable(decision);
  }

  // ---- what reaches the phone ----

  public void fieldOn(Instant at) {
    if (phase == Phase.ARMED && reaction.place() == QuirkReactions.Place.ON_RETURN_TO_FIELD) {
      returned = true;
    }
  }

  public void fieldOff(Instant at) {
    switch (phase) {
      case ABORTED ->
          decide(
              Result.PASS,
              at,
              abortText
                  + " "
                  + reaction.place().text()
                  + ", then the NFC reset"
                  + slowTiming().orElse(""));
      case ARMED -> {
        if (reaction.place().isAbort()) {
          decide(
              Result.FAIL,
              at,
              "the field dropped without the abort "
                  + spaced(reaction.abort())
                  + " "
                  + reaction.place().text()
                  + " ("
                  + reaction.section()
                  + ")");
        } else {
          fieldWentOff = true;
        }
      }
      default -> {}
    }
  }

  public void apdu(PhoneEvent.Apdu apdu) {
    if (decided()) {
      return;
    }
    VehicleCommand command = VehicleCommand.of(apdu.command());
    Instant arrival = apdu.at().minus(apdu.answering());
    switch (phase) {
      case WAITING -> trigger(command, apdu, arrival);
      case ARMED -> armed(command, apdu, arrival);
      case ABORTED ->
          decide(
              Result.FAIL,
              arrival,
              "the vehicle went on after "
                  + abortText
                  + ": "
                  + command.describe()
                  + " before the NFC reset ("
                  + reaction.section()
                  + ")");
      case DONE -> {}
    }
  }

  /** When the watch stops waiting for the vehicle, if it waits now. */
  public Optional<Instant> deadline() {
    if (phase != Phase.ARMED) {
      return Optional.empty();
    }
    return switch (reaction.place()) {
      case RETRY_AFTER_NOT_READY ->
          Optional.of(
              armedAt.plus(
                  given(TimerName.T_NotReadyRetry)
                      .map(t -> t.plus(PhoneSettings.tolerance(t)))
                      .orElse(settings.phase4Wait())));
      case ON_RETURN_TO_FIELD -> Optional.of(armedAt.plus(settings.phase4Wait()));
      case POLLING_UNTIL_KTS_WAIT ->
          Optional.of(
              given(TimerName.T_KtsWait)
                  .map(w -> armedAt.plus(w).plus(PhoneSettings.tolerance(w)))
                  .orElse(lastEnd)
                  .plus(settings.phase4Wait()));
      default -> Optional.of(armedAt.plus(settings.phase4Wait()));
    };
  }

  /** The wait ran out with nothing decisive from the vehicle. */
  public void deadlinePassed(Instant at) {
    if (phase != Phase.ARMED) {
      return;
    }
    switch (reaction.place()) {
      case RETRY_AFTER_NOT_READY ->
          decide(
              Result.FAIL,
              at,
              "no new SELECT framework "
                  + given(TimerName.T_NotReadyRetry)
                      .map(t -> "within T_NotReadyRetry + tolerance (" + millis(t) + ")")
                      .orElse("within the wait (" + millis(settings.phase4Wait()) + ")")
                  + " after the 6A82 to the first SELECT ("
                  + reaction.section()
                  + ")");
      case ON_RETURN_TO_FIELD ->
          decide(
              Result.PASS,
              at,
              "no abort to the phone that left the field; "
                  + (returned
                      ? "nothing but field events after its return"
                      : "the vehicle did not reach it again")
                  + " within the wait ("
                  + millis(settings.phase4Wait())
                  + ")");
      case POLLING_UNTIL_KTS_WAIT -> pollingOver(at);
      default ->
          decide(
              Result.FAIL,
              at,
              "no abort "
                  + spaced(reaction.abort())
                  + " "
                  + reaction.place().text()
                  + " within the wait ("
                  + reaction.section()
                  + ")");
    }
  }

  /** The run ended: an abort followed by nothing is the reaction required. */
  public void runEnded(Instant at) {
    if (phase == Phase.ABORTED) {
      decide(
          Result.PASS,
          at,
          abortText
              + " "
              + reaction.place().text()
              + "; nothing after it"
              + slowTiming().orElse(""));
    }
  }

  // ---- the rules ----

  private void trigger(VehicleCommand command, PhoneEvent.Apdu apdu, Instant arrival) {
    QuirkReactions.Place place = reaction.place();
    if (!command.is(place.trigger())) {
      return;
    }
    switch (place) {
      case RIGHT_AFTER_SELECT -> {
        if (apdu.sw() != 0x9000) {
          return;
        }
      }
      case RETRY_AFTER_NOT_READY -> {
        if (apdu.sw() != 0x6A82) {
          return;
        }
      }
      case ON_RETURN_TO_FIELD -> {
        if (apdu.response() != null) {
          return;
        }
      }
      case POLLING_UNTIL_KTS_WAIT -> {
        if (command.p1p2() != 0x0100 || apdu.sw() != 0x9000) {
          return;
        }
        lastEnd = apdu.at();
      }
      default -> {}
    }
    phase = Phase.ARMED;
    armedAt = apdu.at();
    triggerArrival = arrival;
    triggerText = command.describe();
  }

  private void armed(VehicleCommand command, PhoneEvent.Apdu apdu, Instant arrival) {
    switch (reaction.place()) {
      case RETRY_AFTER_NOT_READY -> retry(command, arrival);
      case ON_RETURN_TO_FIELD -> returning(command, arrival);
      case POLLING_UNTIL_KTS_WAIT -> polling(command, apdu, arrival);
      default -> abortWindow(command, arrival);
    }
  }

  private void abortWindow(VehicleCommand command, Instant arrival) {
    if (command.isAbort()) {
      int p1p2 = command.p1p2();
      abortSeen = OptionalInt.of(p1p2);
      if (p1p2 == reaction.abort()) {
        phase = Phase.ABORTED;
        abortAt = arrival;
        abortText = "abort " + spaced(p1p2) + " (" + meaning(p1p2) + ")";
        return;
      }
      decide(
          Result.FAIL,
          arrival,
          "abort "
              + spaced(p1p2)
              + " ("
              + meaning(p1p2)
              + ") "
              + reaction.place().text()
              + " where "
              + reaction.section()
              + " requires "
              + spaced(reaction.abort())
              + " ("
              + meaning(reaction.abort())
              + ")");
      return;
    }
    if (reaction.place().showsGoingOn(command)) {
      decide(
          Result.FAIL,
          arrival,
          "no abort: the vehicle went on with "
              + command.describe()
              + " after "
              + triggerText
              + " where "
              + reaction.section()
              + " requires the abort "
              + spaced(reaction.abort()));
    }
  }

  private void retry(VehicleCommand command, Instant arrival) {
    if (command.is(VehicleCommand.Kind.SELECT_OTHER)) {
      return;
    }
    if (!command.is(VehicleCommand.Kind.SELECT_FRAMEWORK)) {
      decide(
          Result.FAIL,
          arrival,
          command.describe() + " after the 6A82 instead of a new SELECT framework (§3.5)");
      return;
    }
    Duration gap = Duration.between(armedAt, arrival);
    if (!fieldWentOff) {
      decide(
          Result.FAIL,
          arrival,
          "SELECT framework retried after " + millis(gap) + " without an NFC reset (§2.2 P2.1)");
      return;
    }
    Optional<Duration> timer = given(TimerName.T_NotReadyRetry);
    if (timer.isPresent() && !within(gap, timer.get())) {
      decide(
          Result.FAIL,
          arrival,
          "SELECT framework retried "
              + millis(gap)
              + " after the 6A82: T_NotReadyRetry "
              + millis(timer.get())
              + " ± "
              + millis(PhoneSettings.tolerance(timer.get()))
              + " (§2.2 P2.1, §13)");
      return;
    }
    decide(
        Result.PASS,
        arrival,
        "NFC reset, then a new SELECT framework "
            + millis(gap)
            + " after the 6A82"
            + (timer.isPresent() ? " (T_NotReadyRetry " + millis(timer.get()) + ")" : ""));
  }

  private void returning(VehicleCommand command, Instant arrival) {
    if (command.is(VehicleCommand.Kind.SELECT_OTHER)) {
      return;
    }
    if (command.is(VehicleCommand.Kind.SELECT_FRAMEWORK)) {
      decide(
          Result.PASS,
          arrival,
          "no abort to the phone that left the field; on its return a new SELECT framework");
      return;
    }
    decide(
        Result.FAIL,
        arrival,
        command.describe()
            + (returned ? " to the returned phone" : " while the phone was away")
            + " instead of a new SELECT framework (§18.18, §3.6: the session ended when the"
            + " phone left)");
  }

  private void polling(VehicleCommand command, PhoneEvent.Apdu apdu, Instant arrival) {
    if (command.is(VehicleCommand.Kind.EXCHANGE)) {
      decide(
          Result.FAIL,
          arrival,
          "EXCHANGE although SigBmp bit 0 was never set (§12.2): the vehicle ignores SigBmp");
      return;
    }
    if (command.isAbort()) {
      abortSeen = OptionalInt.of(command.p1p2());
      decide(
          Result.FAIL,
          arrival,
          "abort " + spaced(command.p1p2()) + " in a phase-4 transaction with SigBmp 0000 (§12.2)");
      return;
    }
    if (command.is(VehicleCommand.Kind.SELECT_APPLET)) {
      Duration sinceP34 = Duration.between(armedAt, arrival);
      Optional<Duration> wait = given(TimerName.T_KtsWait);
      if (wait.isPresent() && sinceP34.compareTo(wait.get().plus(tolerance(wait.get()))) > 0) {
        decide(
            Result.FAIL,
            arrival,
            "a phase-4 transaction "
                + millis(sinceP34)
                + " after P3.4, past T_KtsWait "
                + millis(wait.get())
                + " + "
                + millis(tolerance(wait.get()))
                + " (§12.2: the vehicle must stop)");
        return;
      }
      Optional<Duration> interval = given(TimerName.T_KtsPollInterval);
      Duration gap = Duration.between(lastEnd, arrival);
      if (interval.isPresent() && !within(gap, interval.get())) {
        decide(
            Result.FAIL,
            arrival,
            "phase-4 transaction "
                + (transactions + 1)
                + " began "
                + millis(gap)
                + " after the last: T_KtsPollInterval "
                + millis(interval.get())
                + " ± "
                + millis(tolerance(interval.get()))
                + " (§12.2)");
        return;
      }
      transactions++;
      lastStart = arrival;
    } else if (command.is(VehicleCommand.Kind.CONTROL_FLOW)
        && command.p1p2() == 0x0100
        && apdu.sw() == 0x9000) {
      lastEnd = apdu.at();
    }
  }

  private void pollingOver(Instant at) {
    if (transactions == 0) {
      decide(
          Result.FAIL,
          at,
          "no phase-4 transaction after P3.4 within the wait (§12.2: the vehicle polls until"
              + " T_KtsWait)");
      return;
    }
    Duration last = Duration.between(armedAt, lastStart);
    Optional<Duration> wait = given(TimerName.T_KtsWait);
    if (wait.isPresent()) {
      Duration slack =
          tolerance(wait.get())
              .plus(
                  given(TimerName.T_KtsPollInterval)
                      .map(i -> i.plus(tolerance(i)))
                      .orElse(Duration.ZERO));
      if (last.plus(slack).compareTo(wait.get()) < 0) {
        decide(
            Result.FAIL,
            at,
            "the vehicle stopped polling "
                + millis(last)
                + " after P3.4, before T_KtsWait "
                + millis(wait.get())
                + " (§12.2)");
        return;
      }
    }
    decide(
        Result.PASS,
        at,
        transactions
            + " phase-4 transaction(s) without EXCHANGE, the last "
            + millis(last)
            + " after P3.4; then none"
            + (wait.isPresent() ? " (T_KtsWait " + millis(wait.get()) + ")" : ""));
  }

  /** T_Apdu: the abort {@code 04} may not come earlier than T_Apdu − tolerance (§13). */
  private Optional<String> slowTiming() {
    if (reaction.place() != QuirkReactions.Place.RIGHT_AFTER_REQUEST || abortAt == null) {
      return Optional.empty();
    }
    Duration waited = Duration.between(triggerArrival, abortAt);
    return Optional.of(" " + millis(waited) + " after the REQUEST");
  }

  private void decide(Result result, Instant at, String detail) {
    if (decided()) {
      return;
    }
    Result judged = result;
    String text = detail;
    if (result == Result.PASS && reaction.place() == QuirkReactions.Place.RIGHT_AFTER_REQUEST) {
      Optional<Duration> apduTimer = given(TimerName.T_Apdu);
      Duration waited = Duration.between(triggerArrival, abortAt);
      if (apduTimer.isPresent()
          && waited.compareTo(apduTimer.get().minus(tolerance(apduTimer.get()))) < 0) {
        judged = Result.FAIL;
        text =
            "abort 12 04 "
                + millis(waited)
                + " after the REQUEST, earlier than T_Apdu "
                + millis(apduTimer.get())
                + " − "
                + millis(tolerance(apduTimer.get()))
                + " (§13)";
      }
    }
    decision =
        new Decision(
            reaction.step(), judged, at, text + " [device quirk " + quirkName + "]", abortSeen);
    phase = Phase.DONE;
  }

  private Optional<Duration> given(TimerName name) {
    return settings.timer(name);
  }

  private static Duration tolerance(Duration timer) {
    return PhoneSettings.tolerance(timer);
  }

  private static boolean within(Duration measured, Duration timer) {
    Duration tolerance = tolerance(timer);
    return measured.compareTo(timer.minus(tolerance)) >= 0
        && measured.compareTo(timer.plus(tolerance)) <= 0;
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  private static String spaced(int p1p2) {
    String hex = Hex.u16(p1p2);
    return hex.substring(0, 2) + " " + hex.substring(2);
  }

  private static String meaning(int p1p2) {
    return StepBook.reasonOf(p1p2 & 0xFF).map(r -> r.meaning()).orElse("a code §10.2 never sends");
  }
}
