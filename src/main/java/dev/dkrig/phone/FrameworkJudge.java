package dev.dkrig.phone;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Phase 2 from the phone's side (docs/phone-role.md, "Phase 2"): transaction 1 (P2.1–P2.5's {@code
 * 10 01}), the gap, transaction 2 (P2.5's polls, P2.6, P2.7, P2.8). The device has already answered
 * each command; this reads the command and the answer.
 */
final class FrameworkJudge {
  /** §7.6: every WRITE DATA piece but the last carries 239 plaintext bytes, the last 1–239. */
  static final int FULL_PIECE = 239;

  private static final List<Integer> CERTIFICATES =
      List.of(
          DkProfile.TAG_ENDPOINT_CERT,
          DkProfile.TAG_INSTANCE_CA_CERT,
          DkProfile.TAG_DEVICE_OEM_CA_CERT);

  private final Session s;
  private final List<String> otherSelects = new ArrayList<>();
  private Instant firstSelect;
  private Instant refusedAt;
  private String retryNote = "";
  private String watchedRetry;
  private boolean selected;
  private SelectFrameworkResponse offered;
  private boolean requestSeen;
  private int agreedApplet = -1;
  private boolean evidenceSent;
  private int pieces;
  private String gapNote = "";
  private Instant lastPoll;
  private final List<String> pollNotes = new ArrayList<>();
  private int certificatesRead;
  private int pendingCertificate = -1;
  private boolean attestationAccepted;

  FrameworkJudge(Session session) {
    this.s = session;
  }

  /** The agreed DK applet version (the REQUEST's first 5C entry), or -1 before the REQUEST. */
  int agreedApplet() {
    return agreedApplet;
  }

  boolean requestSeen() {
    return requestSeen;
  }

  /**
   * Whether the phone's SELECT response offered no version the vehicle's §16 list holds: for the
   * SPAKE2+ versions ({@code 01}) or the applet versions ({@code 02}); false before a SELECT.
   */
  boolean nothingInCommon(int abortCode) {
    if (offered == null) {
      return false;
    }
    return abortCode == DkProfile.ABORT_NO_COMMON_SPAKE2_VERSION
        ? Versions.highestCommon(DkProfile.VEHICLE_SPAKE2_VERSIONS, offered.spake2Versions())
            .isEmpty()
        : Versions.highestCommon(DkProfile.VEHICLE_APPLET_VERSIONS, offered.appletVersions())
            .isEmpty();
  }

  Instant firstSelect() {
    return firstSelect;
  }

  /**
   * The device quirk {@code not-ready-first-select}: {@link ReactionWatch} judged the retry (PASS)
   * with {@code detail}; P2.1 takes it instead of judging the retry again.
   */
  void retryJudged(String detail) {
    watchedRetry = detail;
  }

  /** Waiting for the retry of a refused SELECT framework (P2.1, §3.5). */
  boolean awaitingRetry() {
    return refusedAt != null && !selected;
  }

  Instant refusedAt() {
    return refusedAt;
  }

  /** Whether all three certificates were read completely (P2.6). */
  boolean certificatesRead() {
    return certificatesRead == CERTIFICATES.size();
  }

  int pieces() {
    return pieces;
  }

  void handle(VehicleCommand command, PhoneEvent.Apdu apdu) {
    switch (s.stage) {
      case TX1 -> transaction1(command, apdu);
      case AWAIT_TX2 -> transaction2Select(command, apdu);
      case TX2 -> transaction2(command, apdu);
      default -> throw new IllegalStateException("not a framework stage: " + s.stage);
    }
  }

  // ---- transaction 1 ----

  private void transaction1(VehicleCommand command, PhoneEvent.Apdu apdu) {
    int sw = apdu.sw();
    Instant at = apdu.at();
    switch (command.kind()) {
      case SELECT_OTHER -> {
        s.begin(Step.P2_1, at);
        otherSelects.add(
            command.apdu().map(a -> Hex.encode(a.data())).orElse("?") + " → " + Session.sw(sw));
      }
      case SELECT_FRAMEWORK -> selectFramework(apdu);
      case REQUEST -> request(command, apdu);
      case VERIFY -> verify(apdu);
      case WRITE_DATA -> creationData(command, apdu);
      case OP_CONTROL_FLOW -> {
        if (command.p1p2() != 0x1001 || !s.book.isDecided(Step.P2_4)) {
          s.unexpected(command, sw, at);
          return;
        }
        s.begin(Step.P2_5, at);
        if (sw == StatusWord.SUCCESS) {
          s.stage = Session.Stage.AWAIT_TX2;
          s.markNow(at);
        } else {
          s.fail(Step.P2_5, at, "10 01 answered " + Session.sw(sw) + " (§3.6, §10.1)", sw);
        }
      }
      default -> s.unexpected(command, sw, at);
    }
  }

  private void selectFramework(PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    s.begin(Step.P2_1, at);
    if (selected) {
      s.fail(
          Step.P2_1A,
          at,
          "a new SELECT framework in transaction 1 after " + s.last() + " (§3.6)",
          sw);
      return;
    }
    if (firstSelect == null) {
      firstSelect = at;
    }
    if (refusedAt != null && watchedRetry != null) {
      retryNote = "; " + watchedRetry;
    } else if (refusedAt != null) {
      if (!s.resetSinceMark) {
        s.fail(
            Step.P2_1,
            at,
            "the SELECT framework was retried without an NFC reset after the phone answered it "
                + "not ready (§3.5)",
            sw);
        return;
      }
      Duration interval = Duration.between(refusedAt, at);
      var off =
          s.timing.offInterval(TimerName.T_NotReadyRetry, interval, "retry of SELECT framework");
      if (off.isPresent()) {
        s.fail(Step.P2_1, at, off.get(), sw);
        return;
      }
      retryNote = "; " + s.timing.measured(TimerName.T_NotReadyRetry, interval, "retried after");
    }
    SelectFrameworkResponse response = parseSelect(apdu);
    if (sw == StatusWord.SUCCESS && response != null && response.ready()) {
      selected = true;
      offered = response;
      s.next(Step.P2_1A, at);
      return;
    }
    // The phone itself refused (not ready, 6A82): the vehicle must reset and retry (§2.2 P2.1).
    refusedAt = at;
    s.markNow(at);
  }

  private static SelectFrameworkResponse parseSelect(PhoneEvent.Apdu apdu) {
    byte[] response = apdu.response();
    if (response == null || response.length < 2) {
      return null;
    }
    try {
      return SelectFrameworkResponse.parse(Arrays.copyOf(response, response.length - 2));
    } catch (CccException e) {
      return null;
    }
  }

  private void request(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (!selected || requestSeen) {
      s.unexpected(command, sw, at);
      return;
    }
    requestSeen = true;
    String others = otherSelects.isEmpty() ? "" : "; other SELECTs first: " + otherSelects;
    s.book.pass(Step.P2_1, at, "SELECT framework answered 9000 (D4 = 02)" + retryNote + others);
    s.book.pass(Step.P2_1A, at, "the vehicle went on to the SPAKE2+ REQUEST");
    s.begin(Step.P2_2, at);
    s.begin(Step.P2_3, at);
    Spake2Request request;
    try {
      request = Spake2Request.parse(command.apdu().orElseThrow().data());
    } catch (CccException | IllegalArgumentException e) {
      s.fail(
          Step.P2_3,
          at,
          "REQUEST malformed: "
              + e.getMessage()
              + " (answered "
              + Session.sw(sw)
              + "; §3.3, §18.1)",
          sw);
      return;
    }
    int expectedSpake2 =
        Versions.highestCommon(DkProfile.VEHICLE_SPAKE2_VERSIONS, offered.spake2Versions())
            .orElse(-1);
    List<Integer> expectedApplets =
        Versions.appletListForRequest(DkProfile.VEHICLE_APPLET_VERSIONS, offered.appletVersions());
    String sent =
        "5B "
            + Hex.u16(request.spake2Version())
            + ", 5C "
            + Versions.format(request.appletVersions());
    if (request.spake2Version() != expectedSpake2
        || !request.appletVersions().equals(expectedApplets)) {
      s.fail(
          Step.P2_2,
          at,
          sent
              + "; the contract's choice against the phone's 5A "
              + Versions.format(offered.spake2Versions())
              + " / 5C "
              + Versions.format(offered.appletVersions())
              + " is 5B "
              + Hex.u16(expectedSpake2)
              + ", 5C "
              + Versions.format(expectedApplets)
              + " (§4, §16; answered "
              + Session.sw(sw)
              + ")",
          sw);
      return;
    }
    agreedApplet = request.agreedAppletVersion();
    s.book.pass(Step.P2_2, at, sent);
    if (sw != StatusWord.SUCCESS) {
      s.fail(
          Step.P2_3,
          at,
          "REQUEST answered "
              + Session.sw(sw)
              + " (malformed, or scrypt memory above the limit of §18.11)",
          sw);
    }
  }

  private void verify(PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    s.begin(Step.P2_3, at);
    if (sw == StatusWord.SUCCESS) {
      evidenceSent = true;
      return;
    }
    String why =
        switch (sw) {
          case StatusWord.REFERENCED_DATA ->
              "Y invalid or M1 wrong: the vehicle's verifier does not match the phone's"
                  + " password, or its SPAKE2+ is wrong (§5.3, §5.4)";
          case StatusWord.CONDITIONS_NOT_SATISFIED -> "VERIFY without a REQUEST (§3.6)";
          default -> "refused (§3.5)";
        };
    s.fail(Step.P2_3, at, "VERIFY answered " + Session.sw(sw) + ": " + why, sw);
  }

  private void creationData(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (!evidenceSent || s.book.isDecided(Step.P2_4)) {
      s.unexpected(command, sw, at);
      return;
    }
    if (!s.book.isDecided(Step.P2_3)) {
      s.book.pass(
          Step.P2_3,
          at,
          "REQUEST and VERIFY accepted (Y and M1 checked by the phone), M2 sent; the vehicle went"
              + " on to WRITE DATA");
    }
    s.begin(Step.P2_4, at);
    Step.P2_4.subSteps().forEach(sub -> s.book.begin(sub, at));
    pieces++;
    if (sw != StatusWord.SUCCESS) {
      s.fail(
          Step.P2_4,
          at,
          "WRITE DATA piece " + pieces + " answered " + Session.sw(sw) + ": " + writeRefusal(sw),
          sw);
      return;
    }
    // The plaintext length as the phone unwrapped it (after its C-MAC and padding checked out).
    int length = s.device.lastWritePiece().orElse(-1);
    boolean fits =
        command.isLastPiece() ? length >= 1 && length <= FULL_PIECE : length == FULL_PIECE;
    if (!fits) {
      s.fail(
          Step.P2_4,
          at,
          "WRITE DATA piece "
              + pieces
              + " (P1 = "
              + (command.isLastPiece() ? "80" : "00")
              + ") carries "
              + length
              + " plaintext bytes: every piece but the last carries 239, the last 1–239 (§7.6;"
              + " answered 9000)",
          sw);
      return;
    }
    if (command.isLastPiece()) {
      String detail =
          pieces
              + " WRITE DATA piece"
              + (pieces == 1 ? "" : "s")
              + ", every C-MAC verified, the stream accepted under the phone's trust anchor (§7.7)";
      s.book.pass(Step.P2_4, at, detail);
      s.book.pass(Step.P2_4_1, at, "part of the P2.4 stream: K verified by the phone (§7.3, §8.5)");
      s.book.pass(Step.P2_4_2, at, "part of the P2.4 stream: 7F4E accepted (§7.5)");
      s.book.pass(Step.P2_4_2_1, at, "part of 7F4E: 7F49 accepted (§7.5)");
      s.book.pass(Step.P2_4_2_2, at, "part of 7F4E: D9 accepted (§7.5)");
    }
  }

  private static String writeRefusal(int sw) {
    return switch (sw) {
      case StatusWord.SECURITY_STATUS -> "a bad C-MAC or padding (§6.1)";
      case StatusWord.WRONG_P1P2 -> "a bad P1/P2 (§7.6)";
      case StatusWord.INCORRECT_DATA -> "the stream breaks §7.7";
      case StatusWord.NOT_ENOUGH_MEMORY -> "the stream is too long (§18.22)";
      default -> "refused (§3.5)";
    };
  }

  // ---- the gap and transaction 2 ----

  private void transaction2Select(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    s.begin(Step.P2_5, at);
    if (!command.is(VehicleCommand.Kind.SELECT_FRAMEWORK)) {
      s.fail(
          Step.P2_5,
          at,
          command.describe() + " where the transaction-2 SELECT framework belongs (§2.2)",
          sw);
      return;
    }
    if (!s.resetSinceMark) {
      s.fail(
          Step.P2_5,
          at,
          "no NFC reset between 10 01 and the transaction-2 SELECT framework (§2.2, §3.2)",
          sw);
      return;
    }
    Duration gap = Duration.between(s.mark, at);
    var late = s.timing.late(TimerName.T_TxGap, gap, "transaction-2 SELECT after 10 01:");
    if (late.isPresent()) {
      s.fail(Step.P2_5, at, late.get(), sw);
      return;
    }
    gapNote = s.timing.measured(TimerName.T_TxGap, gap, "transaction-2 SELECT after 10 01:");
    if (sw != StatusWord.SUCCESS) {
      s.fail(Step.P2_5, at, "transaction-2 SELECT framework answered " + Session.sw(sw), sw);
      return;
    }
    s.stage = Session.Stage.TX2;
  }

  private void transaction2(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (s.chainBroken(command, sw, at, s.inProgress)) {
      return;
    }
    switch (command.kind()) {
      case GET_DATA -> getData(command, apdu);
      case GET_RESPONSE -> {
        if (!s.chainPending) {
          s.unexpected(command, sw, at);
          return;
        }
        pieceOfCertificate(apdu);
      }
      case WRITE_DATA -> attestation(command, apdu);
      case OP_CONTROL_FLOW -> {
        if (command.p1p2() != 0x1111) {
          s.unexpected(command, sw, at);
          return;
        }
        s.begin(Step.P2_8, at);
        if (sw != StatusWord.SUCCESS || !attestationAccepted) {
          s.fail(Step.P2_8, at, "11 11 answered " + Session.sw(sw) + " (§3.6, §10.1)", sw);
          return;
        }
        judgeAttestation(at);
        if (s.ending != null) {
          return;
        }
        s.book.pass(Step.P2_8, at, "11 11 after the 5F5A; the phone committed the DK");
        s.stage = Session.Stage.AWAIT_APPLET;
        s.markNow(at);
      }
      default -> s.unexpected(command, sw, at);
    }
  }

  private void getData(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    int tag = s.device.lastGetDataTag().orElse(-1);
    String asked = "GET DATA " + (tag < 0 ? "(tag not read)" : Hex.u16(tag));
    if (tag == DkProfile.TAG_KEY_CREATION_STATUS && certificatesRead == 0) {
      s.begin(Step.P2_5, at);
      if (lastPoll != null) {
        Duration interval = Duration.between(lastPoll, at);
        var off = s.timing.offInterval(TimerName.T_StatusPoll, interval, "GET DATA 7F26 poll:");
        if (off.isPresent()) {
          s.fail(Step.P2_5, at, off.get(), sw);
          return;
        }
        pollNotes.add(Durations.format(interval));
      }
      lastPoll = at;
      if (sw != StatusWord.SUCCESS) {
        s.fail(Step.P2_5, at, "GET DATA 7F26 answered " + Session.sw(sw) + " (§6.1, §8.1)", sw);
      }
      return;
    }
    if (lastPoll == null) {
      s.fail(Step.P2_5, at, asked + " before GET DATA 7F26 (§8.2)", sw);
      return;
    }
    if (!s.book.isDecided(Step.P2_5)) {
      s.book.pass(
          Step.P2_5,
          at,
          "10 01, NFC reset, "
              + gapNote
              + "; GET DATA 7F26"
              + (pollNotes.isEmpty() ? "" : " polled at " + pollNotes));
    }
    s.begin(Step.P2_6, at);
    if (certificatesRead >= CERTIFICATES.size() || CERTIFICATES.get(certificatesRead) != tag) {
      s.fail(
          Step.P2_6,
          at,
          asked
              + " where "
              + (certificatesRead < CERTIFICATES.size()
                  ? "GET DATA " + Hex.u16(CERTIFICATES.get(certificatesRead))
                  : "the 5F5A WRITE DATA")
              + " belongs: §8.2 reads 7F20, 7F22, 7F24 in this order (answered "
              + Session.sw(sw)
              + ")",
          sw);
      return;
    }
    pendingCertificate = tag;
    pieceOfCertificate(apdu);
  }

  private void pieceOfCertificate(PhoneEvent.Apdu apdu) {
    int sw = apdu.sw();
    Instant at = apdu.at();
    if (Session.moreData(sw)) {
      s.chainPending = true;
      return;
    }
    s.chainPending = false;
    if (sw != StatusWord.SUCCESS) {
      s.fail(
          Step.P2_6,
          at,
          "GET DATA "
              + Hex.u16(pendingCertificate)
              + " answered "
              + Session.sw(sw)
              + (sw == StatusWord.SECURITY_STATUS ? ": a bad C-MAC (§6.1)" : " (§8.2)"),
          sw);
      return;
    }
    certificatesRead++;
    if (certificatesRead()) {
      s.book.pass(Step.P2_6, at, "7F20, 7F22 and 7F24 read completely, in order (§8.2)");
      s.next(Step.P2_6_1, at);
      s.book.begin(Step.P2_6_2, at);
    }
  }

  private void attestation(VehicleCommand command, PhoneEvent.Apdu apdu) {
    Instant at = apdu.at();
    int sw = apdu.sw();
    if (!certificatesRead()) {
      s.fail(
          Step.P2_6,
          at,
          "WRITE DATA before the three certificates were read completely (§8.2)",
          sw);
      return;
    }
    if (attestationAccepted) {
      s.fail(Step.P2_7, at, "a second WRITE DATA in transaction 2: 5F5A comes in one (§7.7)", sw);
      return;
    }
    s.book.pass(
        Step.P2_6_1, at, "the vehicle went on to the 5F5A WRITE DATA: the phone's chain verified");
    s.book.pass(
        Step.P2_6_2, at, "the vehicle went on to the 5F5A WRITE DATA: H's binding verified");
    s.begin(Step.P2_7, at);
    if (!command.isLastPiece()) {
      s.fail(
          Step.P2_7,
          at,
          "the 5F5A WRITE DATA has P1 = 00: it comes in one command with P1 = 80 (§7.7; answered "
              + Session.sw(sw)
              + ")",
          sw);
      return;
    }
    if (sw != StatusWord.SUCCESS) {
      String why =
          switch (sw) {
            case StatusWord.INCORRECT_DATA -> "no 5F5A, or a bad layout (§18.8, §7.7)";
            case StatusWord.SECURITY_STATUS -> "a bad C-MAC (§6.1)";
            default -> "refused (§3.5)";
          };
      s.fail(Step.P2_7, at, "5F5A WRITE DATA answered " + Session.sw(sw) + ": " + why, sw);
      return;
    }
    attestationAccepted = true;
  }

  /**
   * P2.7's content (§9), judged once {@code 11 11} committed the DK: the phone's KTS check of the
   * stored 5F5A (version, identifiers, endpoint point, K's signature). The device stores 5F5A
   * unparsed and answers 9000 either way; a 5F5A that does not verify FAILs P2.7.
   */
  private void judgeAttestation(Instant at) {
    Optional<String> problem = s.device.newestAttestationProblem();
    if (problem.isPresent()) {
      s.fail(
          Step.P2_7,
          at,
          "the 5F5A does not verify: "
              + problem.get()
              + " (answered 9000 as the device stores it unparsed; §9: the KTS will refuse it)",
          StatusWord.SUCCESS);
      return;
    }
    s.book.pass(
        Step.P2_7,
        at,
        "one WRITE DATA (P1 = 80) with 5F5A, C-MAC verified; version, vehicle and DK identifiers,"
            + " endpoint point and K's signature verified (§9)");
  }
}
