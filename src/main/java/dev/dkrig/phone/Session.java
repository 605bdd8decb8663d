package dev.dkrig.phone;

import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Step;
import java.time.Instant;

/**
 * What the judge knows of the run so far, shared by the phase judges: where the pairing is, the
 * field, the last command and the phone's answer, and the run's end. Not thread-safe: the run's
 * lock guards it.
 */
final class Session {

  /** Where the pairing is, as the phone sees it. */
  enum Stage {
    BEFORE_CONTACT(1, "before the first contact"),
    TX1(2, "transaction 1"),
    AWAIT_TX2(2, "the gap after 10 01"),
    TX2(2, "transaction 2"),
    AWAIT_APPLET(3, "the gap after 11 11"),
    APPLET(3, "the applet session"),
    AWAIT_PHASE4(4, "the wait for a phase-4 transaction"),
    PHASE4(4, "a phase-4 transaction"),
    DONE(4, "the end of the pairing");

    private final int phase;
    private final String text;

    Stage(int phase, String text) {
      this.phase = phase;
      this.text = text;
    }

    int phase() {
      return phase;
    }

    String text() {
      return text;
    }
  }

  final PhoneSettings settings;
  final VirtualDevice device;
  final Timing timing;
  final StepBook book = new StepBook();
  final Instant start;

  Stage stage = Stage.BEFORE_CONTACT;
  Step inProgress = Step.P1_6_1;
  boolean fieldOn;

  /** Whether the field went off since {@link #mark}. */
  boolean resetSinceMark;

  /** When the answer that opened the current wait was given (10 01, 11 11, P3.4, a poll's end). */
  Instant mark;

  VehicleCommand lastCommand;
  int lastSw = -1;

  /** How long the phone took to answer the last command. */
  java.time.Duration lastAnswering = java.time.Duration.ZERO;

  /** Commands in the current activation. */
  int commandsThisActivation;

  /** The step the command in hand belongs to, once a phase judge said so. */
  Step commandStep;

  /** A {@code 61XX} was answered: only GET RESPONSE may follow (§6.5). */
  boolean chainPending;

  /** When a FAIL or ERROR (or the quirk's reaction) was decided: the run ends at the reset. */
  Instant ending;

  boolean ended;

  Session(PhoneSettings settings, VirtualDevice device, Instant start) {
    this.settings = settings;
    this.device = device;
    this.timing = new Timing(settings);
    this.start = start;
  }

  void fail(Step step, Instant at, String detail, int sw) {
    book.fail(step, at, detail, sw);
    endingFrom(at);
  }

  void error(Step step, Instant at, String detail) {
    book.error(step, at, detail);
    endingFrom(at);
  }

  void endingFrom(Instant at) {
    if (ending == null) {
      ending = at;
    }
  }

  void markNow(Instant at) {
    mark = at;
    resetSinceMark = false;
  }

  /** The command in hand belongs to {@code step}, which is now in progress. */
  void begin(Step step, Instant at) {
    inProgress = step;
    commandStep = step;
    book.begin(step, at);
  }

  /** The next command will belong to {@code step} (the one in hand does not). */
  void next(Step step, Instant at) {
    inProgress = step;
    book.begin(step, at);
  }

  /** A command the step in progress does not expect here: FAIL, with the phone's answer. */
  void unexpected(VehicleCommand command, int sw, Instant at) {
    fail(
        inProgress,
        at,
        command.describe()
            + " in "
            + stage.text()
            + " after "
            + last()
            + " (the phone answered "
            + sw(sw)
            + "; §3.6)",
        sw);
  }

  /**
   * §6.5: while a {@code 61XX} chain is pending only GET RESPONSE may come; anything else FAILs
   * {@code step} (the device drops the chain and answers the command as it does).
   */
  boolean chainBroken(VehicleCommand command, int sw, Instant at, Step step) {
    if (!chainPending || command.is(VehicleCommand.Kind.GET_RESPONSE)) {
      return false;
    }
    chainPending = false;
    fail(
        step, at, command.describe() + " while the chain of " + last() + " was pending (§6.5)", sw);
    return true;
  }

  /** The last command and the phone's answer: {@code WRITE DATA (P1 = 00) answered 9000}. */
  String last() {
    return lastCommand == null
        ? "the activation"
        : lastCommand.describe() + " answered " + sw(lastSw);
  }

  static String sw(int sw) {
    return sw < 0 ? "nothing" : Hex.u16(sw);
  }

  static boolean moreData(int sw) {
    return (sw >> 8) == 0x61;
  }
}
