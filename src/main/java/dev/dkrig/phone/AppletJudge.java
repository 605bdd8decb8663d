package dev.dkrig.phone;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.device.DigitalKeyView;
import dev.dkrig.device.DkState;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Phases 3 and 4 from the phone's side (docs/phone-role.md, "Phase 3", "Phase 4"): the SELECT
 * applet after {@code 11 11}, the standard transaction and P3.4, then the phase-4 transactions, the
 * receipt and P4.2.3.
 */
final class AppletJudge {
  private final Session s;
  private final IntSupplier agreedApplet;
  private final Set<String> ephemeralKeys = new HashSet<>();
  private final Set<String> transactionIds = new HashSet<>();
  private final List<String> intervals = new ArrayList<>();
  private String vehicleIdentifier;
  private String gapNote = "";
  private boolean auth0Answered;
  private boolean auth1Answered;
  private boolean receiptAvailable;
  private boolean receiptRead;
  private int receiptPieces;
  private Instant ownerPaired;
  private int transactions;
  private Duration lastInterval = Duration.ZERO;

  AppletJudge(Session session, IntSupplier agreedApplet) {
    this.s = session;
    this.agreedApplet = agreedApplet;
  }

  /** When P3.4 was answered {@code 9000}, if it was. */
  Optional<Instant> ownerPaired() {
    return Optional.ofNullable(ownerPaired);
  }

  /** The phase-4 transactions that started. */
  int transactions() {
    return transactions;
  }

  /** The committed DK of the vehicle that ran AUTH0, if the phone holds one. */
  Optional<DigitalKeyView> key() {
    return vehicleIdentifier == null ? Optional.empty() : s.device.digitalKey(vehicleIdentifier);
  }

  void handle(VehicleCommand command, PhoneEvent.Apdu apdu) {
    switch (s.stage) {
      case AWAIT_APPLET -> selectAfterCommit(command, apdu);
      case APPLET -> phase3(command, apdu);
      case AWAIT_PHASE4 -> phase4Select(command, apdu);
      case PHASE4 -> phase4(command, apdu);
      default -> throw new IllegalStateException("not an applet stage: " + s.stage);
    }
  }

  // ---- phase 3 ----

  private void selectAfterCommit(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    s.begin(Step.P3_1, at);
    if (command.is(VehicleCommand.Kind.SELECT_FRAMEWORK)) {
      s.fail(
          Step.P3_1,
          at,
          "a SELECT framework after 11 11 where the SELECT applet belongs (a new pairing; §2.3)",
          sw);
      return;
    }
    if (!command.is(VehicleCommand.Kind.SELECT_APPLET)) {
      s.fail(Step.P3_1, at, command.describe() + " where the SELECT applet belongs (§2.3)", sw);
      return;
    }
    if (!s.resetSinceMark) {
      s.fail(Step.P3_1, at, "no NFC reset between 11 11 and the SELECT applet (§2.3, §3.2)", sw);
      return;
    }
    Duration gap = Duration.between(s.mark, at);
    var late = s.timing.late(TimerName.T_TxGap, gap, "SELECT applet after 11 11:");
    if (late.isPresent()) {
      s.fail(Step.P3_1, at, late.get(), sw);
      return;
    }
    gapNote = s.timing.measured(TimerName.T_TxGap, gap, "SELECT applet after 11 11:");
    if (sw != StatusWord.SUCCESS) {
      s.fail(Step.P3_1, at, "SELECT applet answered " + Session.sw(sw), sw);
      return;
    }
    s.book.pass(Step.P3_1, at, "NFC reset, then " + gapNote + "; answered with the phone's 5C");
    s.stage = Session.Stage.APPLET;
    s.next(Step.P3_1A, at);
    auth0Answered = false;
    auth1Answered = false;
  }

  private void phase3(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    switch (command.kind()) {
      case AUTH0 -> {
        if (auth0Answered) {
          s.unexpected(command, sw, at);
          return;
        }
        s.book.pass(Step.P3_1A, at, "the vehicle went on to AUTH0");
        s.begin(Step.P3_2, at);
        s.begin(Step.P3_3, at);
        Optional<Auth0Command> auth0 = auth0(command, sw, at, Step.P3_3);
        if (auth0.isEmpty()) {
          return;
        }
        int agreed = agreedApplet.getAsInt();
        if (agreed >= 0 && auth0.get().agreedVersion() != agreed) {
          s.fail(
              Step.P3_2,
              at,
              "AUTH0 carries 5C "
                  + Hex.u16(auth0.get().agreedVersion())
                  + "; the version agreed in P2.2 is "
                  + Hex.u16(agreed)
                  + " (§4, §11.2; answered "
                  + Session.sw(sw)
                  + ")",
              sw);
          return;
        }
        s.book.pass(Step.P3_2, at, "AUTH0 5C " + Hex.u16(auth0.get().agreedVersion()));
        answeredAuth0(sw, at, Step.P3_3);
      }
      case AUTH1 -> auth1(command, sw, at, Step.P3_3);
      case CONTROL_FLOW -> {
        if (command.p1p2() != 0x0100 || !auth1Answered) {
          s.unexpected(command, sw, at);
          return;
        }
        s.book.pass(
            Step.P3_3,
            at,
            "AUTH0 and AUTH1 accepted (fresh 87 and 4C, vehicle signature verified by the phone),"
                + " then 80 3C 01 00");
        s.begin(Step.P3_4, at);
        boolean active = key().map(k -> k.state() == DkState.ACTIVE).orElse(false);
        if (sw != StatusWord.SUCCESS || !active) {
          s.fail(Step.P3_4, at, "80 3C 01 00 answered " + Session.sw(sw) + " (§3.6, §11.8)", sw);
          return;
        }
        s.book.pass(Step.P3_4, at, "80 3C 01 00 in SECURE_A; the phone's DK is ACTIVE");
        ownerPaired = at;
        s.book.info(Step.P3_7, at, "backend event; not observable by the phone (§15)");
        s.book.info(Step.P3_7_1, at, "backend route; not observable by the phone (§15)");
        s.book.info(Step.P3_7_2, at, "marker (§2.3)");
        if (s.settings.phase4()) {
          s.stage = Session.Stage.AWAIT_PHASE4;
          s.markNow(at);
        } else {
          s.stage = Session.Stage.DONE;
          s.ended = true;
        }
      }
      default -> s.unexpected(command, sw, at);
    }
  }

  /** AUTH0's content (§11.2): well formed, fresh 87 and 4C; the DK's vehicle. */
  private Optional<Auth0Command> auth0(VehicleCommand command, int sw, Instant at, Step owner) {
    Auth0Command auth0;
    try {
      auth0 = Auth0Command.parse(command.apdu().orElseThrow());
    } catch (CccException | IllegalArgumentException e) {
      s.fail(
          owner,
          at,
          "AUTH0 malformed: " + e.getMessage() + " (answered " + Session.sw(sw) + "; §11.2)",
          sw);
      return Optional.empty();
    }
    if (!ephemeralKeys.add(Hex.encode(auth0.vehicleEphemeralPublicKey()))) {
      s.fail(owner, at, "AUTH0 reuses an 87 (vePK) of an earlier transaction (§11.2)", sw);
      return Optional.empty();
    }
    if (!transactionIds.add(Hex.encode(auth0.transactionId()))) {
      s.fail(owner, at, "AUTH0 reuses a 4C (transaction id) of an earlier transaction (§11.2)", sw);
      return Optional.empty();
    }
    vehicleIdentifier = Hex.encode(auth0.vehicleIdentifier());
    return Optional.of(auth0);
  }

  private void answeredAuth0(int sw, Instant at, Step owner) {
    if (sw == StatusWord.SUCCESS) {
      auth0Answered = true;
      return;
    }
    String why =
        sw == StatusWord.REFERENCED_DATA
            ? ": the phone holds no DK for vehicle " + vehicleIdentifier
            : sw == StatusWord.INCORRECT_DATA ? ": malformed or an unsupported version" : "";
    s.fail(owner, at, "AUTH0 answered " + Session.sw(sw) + why + " (§11.2)", sw);
  }

  private void auth1(VehicleCommand command, int sw, Instant at, Step owner) {
    if (!auth0Answered || auth1Answered) {
      s.unexpected(command, sw, at);
      return;
    }
    s.begin(owner, at);
    if (sw != StatusWord.SUCCESS) {
      String why =
          sw == StatusWord.REFERENCED_DATA
              ? ": the vehicle signature does not verify under K's key (§11.4)"
              : " (§11.3)";
      s.fail(owner, at, "AUTH1 answered " + Session.sw(sw) + why, sw);
      return;
    }
    auth1Answered = true;
    receiptAvailable = receiptStillFlagged();
  }

  private boolean receiptStillFlagged() {
    return key().map(k -> (k.sigBmp() & (1 << DkProfile.SIGBMP_RECEIPT)) != 0).orElse(false);
  }

  // ---- phase 4 ----

  private void phase4Select(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    s.begin(Step.P4_1, at);
    if (!command.is(VehicleCommand.Kind.SELECT_APPLET)) {
      s.fail(
          Step.P4_1, at, command.describe() + " where a phase-4 SELECT applet belongs (§12.2)", sw);
      return;
    }
    transactions++;
    if (!s.resetSinceMark) {
      s.fail(
          Step.P4_1,
          at,
          "no NFC reset before phase-4 transaction " + transactions + " (§12.2, §3.2)",
          sw);
      return;
    }
    Duration interval = Duration.between(s.mark, at);
    var off =
        s.timing.offInterval(
            TimerName.T_KtsPollInterval,
            interval,
            "phase-4 transaction " + transactions + " started");
    if (off.isPresent()) {
      s.fail(Step.P4_1, at, off.get(), sw);
      return;
    }
    intervals.add(Durations.format(interval));
    lastInterval = interval;
    Duration sinceOwnerPaired = Duration.between(ownerPaired, at);
    var pastWait =
        s.timing.late(
            TimerName.T_KtsWait,
            sinceOwnerPaired,
            "phase-4 transaction " + transactions + " came after P3.4:");
    if (pastWait.isPresent()) {
      s.fail(Step.P4_2_1, at, pastWait.get() + " (§12.2, §13)", sw);
      return;
    }
    if (sw != StatusWord.SUCCESS) {
      s.fail(Step.P4_1, at, "phase-4 SELECT applet answered " + Session.sw(sw), sw);
      return;
    }
    s.stage = Session.Stage.PHASE4;
    auth0Answered = false;
    auth1Answered = false;
  }

  private void phase4(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (s.chainBroken(command, sw, at, Step.P4_2_2)) {
      return;
    }
    switch (command.kind()) {
      case AUTH0 -> {
        if (auth0Answered) {
          s.unexpected(command, sw, at);
          return;
        }
        s.begin(Step.P4_1, at);
        if (auth0(command, sw, at, Step.P4_1).isPresent()) {
          answeredAuth0(sw, at, Step.P4_1);
        }
      }
      case AUTH1 -> {
        s.begin(Step.P4_2, at);
        auth1(command, sw, at, Step.P4_2);
      }
      case EXCHANGE -> exchange(command, apdu);
      case GET_RESPONSE -> {
        if (!s.chainPending) {
          s.unexpected(command, sw, at);
          return;
        }
        pieceOfReceipt(apdu);
      }
      case CONTROL_FLOW -> endOfTransaction(command, apdu);
      default -> s.unexpected(command, sw, at);
    }
  }

  private void exchange(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (!auth1Answered || receiptRead) {
      s.unexpected(command, sw, at);
      return;
    }
    if (!receiptAvailable) {
      s.fail(
          Step.P4_2,
          at,
          "EXCHANGE after an AUTH1 response with SigBmp bit 0 clear: only 80 3C 01 00 may follow"
              + " (§12.2)",
          sw);
      return;
    }
    s.book.pass(
        Step.P4_2_1,
        at,
        "EXCHANGE followed the AUTH1 response with SigBmp bit 0 set (transaction "
            + transactions
            + ", "
            + Durations.format(Duration.between(ownerPaired, at))
            + " after P3.4)");
    s.begin(Step.P4_2_2, at);
    receiptPieces = 0;
    pieceOfReceipt(apdu);
  }

  private void pieceOfReceipt(PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    receiptPieces++;
    if (Session.moreData(sw)) {
      s.chainPending = true;
      return;
    }
    s.chainPending = false;
    if (sw != StatusWord.SUCCESS) {
      String why =
          sw == StatusWord.SECURITY_STATUS
              ? ": a bad C-MAC (§6.2)"
              : ": not the receipt read E3 (§11.7)";
      s.fail(Step.P4_2_2, at, "the receipt read answered " + Session.sw(sw) + why, sw);
      return;
    }
    receiptRead = true;
    s.book.pass(
        Step.P4_2_2,
        at,
        "EXCHANGE and "
            + (receiptPieces - 1)
            + " GET RESPONSE: the whole receipt read, every C-MAC verified (§6.5, §11.7)");
    s.next(Step.P4_2_3, at);
  }

  private void endOfTransaction(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (command.p1p2() != 0x0100 || !auth1Answered) {
      s.unexpected(command, sw, at);
      return;
    }
    if (receiptAvailable && !receiptRead) {
      s.fail(
          Step.P4_2_1,
          at,
          "80 3C 01 00 after an AUTH1 response with SigBmp bit 0 set: the receipt was not fetched"
              + " (§12.2)",
          sw);
      return;
    }
    if (sw != StatusWord.SUCCESS) {
      s.fail(s.inProgress, at, "80 3C 01 00 answered " + Session.sw(sw) + " (§11.8)", sw);
      return;
    }
    if (receiptRead && receiptStillFlagged()) {
      s.fail(
          Step.P4_2_2,
          at,
          "the EXCHANGE read something other than the receipt: the phone's SigBmp bit 0 is still"
              + " set after 80 3C 01 00 (the vehicle uses only E3; §11.7, §12.1)",
          sw);
      return;
    }
    if (receiptRead) {
      s.book.pass(
          Step.P4_1,
          at,
          transactions
              + " phase-4 transaction"
              + (transactions == 1 ? "" : "s")
              + ", each after an NFC reset; started after "
              + intervals
              + (s.timing.given(TimerName.T_KtsPollInterval)
                  ? ""
                  : " (T_KtsPollInterval not given: not judged)"));
      s.book.pass(Step.P4_2, at, "P4.2.1 to P4.2.3 passed");
      s.book.pass(
          Step.P4_2_3,
          at,
          "80 3C 01 00 after the whole receipt: the vehicle verified it; the phone cleared bit 0");
      s.stage = Session.Stage.DONE;
      s.ended = true;
      return;
    }
    s.stage = Session.Stage.AWAIT_PHASE4;
    s.markNow(at);
  }

  /**
   * The wait for the next phase-4 transaction ran out: none at all FAILs P4.1; after polls with bit
   * 0 clear the vehicle stopped polling, judged against T_KtsWait when given.
   */
  void phase4WaitOver(Instant at) {
    if (transactions == 0) {
      s.fail(
          Step.P4_1,
          at,
          "no phase-4 transaction within "
              + Durations.format(s.settings.phase4Wait())
              + " after P3.4 (--phase4-wait; §2.4, §12.2)",
          -1);
      return;
    }
    // The vehicle stopped when its next poll was due: one interval after the last transaction
    // ended (T_KtsPollInterval given, else the last interval measured).
    Duration stopped =
        Duration.between(ownerPaired, s.mark)
            .plus(s.settings.timer(TimerName.T_KtsPollInterval).orElse(lastInterval));
    String what = "the vehicle stopped polling (its next poll was due) after P3.4:";
    var early = s.timing.early(TimerName.T_KtsWait, stopped, what);
    if (early.isPresent()) {
      s.fail(Step.P4_2_1, at, early.get() + " while SigBmp bit 0 was clear (§12.2)", -1);
      return;
    }
    s.book.pass(
        Step.P4_1,
        at,
        transactions
            + " phase-4 transaction(s), each after an NFC reset; started after "
            + intervals);
    s.book.pass(
        Step.P4_2, at, transactions + " transaction(s) with SigBmp bit 0 clear, each 01 00");
    s.book.info(
        Step.P4_2_1,
        at,
        s.timing.measured(TimerName.T_KtsWait, stopped, what)
            + "; the phone's KTS issued no receipt in that time: "
            + s.device.lastKtsRefusal().orElse("none delivered yet"));
    s.book.skipped(Step.P4_2_2, at, "not reached: no receipt was available");
    s.book.skipped(Step.P4_2_3, at, "not reached: no receipt was available");
    s.stage = Session.Stage.DONE;
    s.ended = true;
  }
}
