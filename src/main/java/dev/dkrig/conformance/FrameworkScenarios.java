package dev.dkrig.conformance;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.Draws;
import java.util.Arrays;
import java.util.List;

/**
 * The scenarios of session 1 (the DK Framework): bad SPAKE2+ evidence, every framework command out
 * of order (§3.6), broken WRITE DATA streams (§7.7, §18.8, §3.5), a bad C-MAC (§6.1) and an abort
 * in the middle of phase 2 (§10.1).
 */
final class FrameworkScenarios {
  private FrameworkScenarios() {}

  private static final String VERIFY_STATE = "§3.6: VERIFY is allowed in REQUESTED only";
  private static final int END_PLAINTEXT_LENGTH = 3;

  static List<ConformanceScenario> all() {
    // ignore-order lets a retried VERIFY through to its data (6A88, not 6985);
    // keep-keys-after-error
    // fails every scenario whose refusal or abort must drop the session, checked by a probe.
    return List.of(
        ConformanceScenario.of(
                "spake2-wrong-m1",
                "SPAKE2+ VERIFY with a wrong M1",
                "SPAKE2+ VERIFY carries a valid Y but a wrong vehicle evidence M1",
                "VERIFY 6A88 and no M2 (§5.4, §18.1); the REQUEST's context is gone, so VERIFY"
                    + " retried with the right M1 gets 6985 (§3.6 Reset); no key; a clean pairing"
                    + " passes",
                FrameworkScenarios::wrongM1)
            .catching("accept-bad-evidence", "ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "spake2-y-not-on-curve",
                "SPAKE2+ VERIFY with Y off the curve",
                "SPAKE2+ VERIFY carries a share Y that is not a point of P-256",
                "VERIFY 6A88 (§5.3); a VERIFY retried with a valid Y gets 6985 (§3.6 Reset); no"
                    + " key; a clean pairing passes",
                FrameworkScenarios::yNotOnCurve)
            .catching("accept-bad-evidence", "ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "order-verify-before-request",
                "SPAKE2+ VERIFY before REQUEST",
                "SPAKE2+ VERIFY right after SELECT framework, with no REQUEST",
                "6985 (§3.6: VERIFY in REQUESTED only, §18.10 state before content); no key; a"
                    + " clean pairing passes",
                FrameworkScenarios::verifyBeforeRequest)
            .catching("ignore-order"),
        ConformanceScenario.of(
                "order-write-data-after-end",
                "WRITE DATA after the end of the stream",
                "another WRITE DATA after the transaction-1 piece with P1 = 80 (state DATA_DONE)",
                "6985 (§3.6: WRITE DATA in SECURE and TX2 only); the session is reset, so 10 01"
                    + " then gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::writeDataAfterEnd)
            .catching("ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "order-create-twice",
                "OP CONTROL FLOW 10 01 twice",
                "a second OP CONTROL FLOW 10 01 right after the first (state AWAIT_TX2)",
                "6985 (§3.6: 10 01 in DATA_DONE only); the session is reset, so transaction 2 under"
                    + " the old keys gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::createTwice)
            .catching("ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "order-get-data-before-key",
                "GET DATA before key creation",
                "GET DATA 7F22 right after SPAKE2+ (state SECURE, no creation data yet)",
                "6985 (§3.6: GET DATA in TX2 only); a WRITE DATA under the old keys then gets 6985;"
                    + " no key; a clean pairing passes",
                FrameworkScenarios::getDataBeforeKey)
            .catching("ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "order-get-response-without-chain",
                "GET RESPONSE with no chain",
                "GET RESPONSE in transaction 2 after a GET DATA whose answer was complete (9000)",
                "6985 (§3.6, §6.5: GET RESPONSE needs a pending chain); a GET DATA under the old"
                    + " keys then gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::getResponseWithoutChain)
            .catching("ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "order-end-before-attestation",
                "OP CONTROL FLOW 11 11 before 5F5A",
                "OP CONTROL FLOW 11 11 in transaction 2 before the 5F5A WRITE DATA (state TX2)",
                "6985 (§3.6: 11 11 in ATTESTED only), nothing committed; a GET DATA under the old"
                    + " keys then gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::endBeforeAttestation)
            .catching("ignore-order", "keep-keys-after-error"),
        ConformanceScenario.of(
                "stream-create-before-end",
                "10 01 before the end of the stream",
                "OP CONTROL FLOW 10 01 after WRITE DATA pieces with P1 = 00, before the one with P1"
                    + " = 80",
                "6A80 (§3.6, §10.1: no end marker); the last piece under the old keys then gets"
                    + " 6985; no key; a clean pairing passes",
                FrameworkScenarios::createBeforeEnd)
            .catching("keep-keys-after-error"),
        ConformanceScenario.of(
                "stream-no-attestation",
                "transaction 2 without 5F5A",
                "the transaction-2 WRITE DATA stream is 5F5F 00 alone, without the 5F5A"
                    + " attestation",
                "6A80 (§7.7, §18.8: 5F5A is mandatory); the 5F5A stream under the old keys then"
                    + " gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::noAttestation)
            .catching("accept-missing-attestation", "keep-keys-after-error"),
        ConformanceScenario.of(
                "stream-oversize",
                "oversize WRITE DATA stream",
                "a transaction-1 stream of streamBytes bytes (default "
                    + OVERSIZE_DEFAULT
                    + "), beyond the "
                    + DkProfile.MAX_STREAM_CAPACITY
                    + " bytes no device accepts",
                "9000 for every piece within 4096 bytes, then 6A84 no later than the WRITE DATA"
                    + " that crosses 8192 bytes (§18.22, §3.5); a WRITE DATA under the old keys"
                    + " then gets 6985; no key; a clean pairing passes",
                FrameworkScenarios::oversizeStream)
            .catching("accept-oversize-stream", "keep-keys-after-error")
            .withParameter(
                new ConformanceScenario.Parameter(
                    "streamBytes",
                    OVERSIZE_DEFAULT,
                    MAX_STREAM,
                    OVERSIZE_DEFAULT,
                    "length of the oversize stream; a suite may only raise it (§18.22: the"
                        + " device must refuse it with 6A84)")),
        ConformanceScenario.of(
                "sm-bad-cmac",
                "bad C-MAC, then the old keys",
                "the first WRITE DATA carries a wrong C-MAC; then the same command with the right"
                    + " C-MAC under the same keys",
                "6982 (§6.1, §18.10: MAC before content); the command under the old keys then gets"
                    + " 6985 (§3.5: both sides drop the keys); no key; a clean pairing passes",
                FrameworkScenarios::badCmac)
            .catching("accept-bad-mac", "keep-keys-after-error"),
        ConformanceScenario.of(
                "abort-mid-phase-2",
                "abort in the middle of phase 2",
                "OP CONTROL FLOW 12 00 in transaction 2, after the key was created and before 5F5A",
                "9000 (§10.1: store the reason, Reset); a GET DATA under the old keys then gets"
                    + " 6985; the uncommitted DK is discarded; a full clean pairing passes",
                FrameworkScenarios::abortMidPhase2)
            .catching("keep-keys-after-error"));
  }

  /**
   * The longest stream the framework counter allows with room for the probe: c runs from 01 to FF
   * (§6.1), so at most 250 pieces of 239 bytes.
   */
  static final long MAX_STREAM = 250L * DkProfile.WRITE_DATA_PIECE;

  /**
   * The default oversize stream: {@value DkProfile#MAX_STREAM_CAPACITY} + 512 bytes, so the WRITE
   * DATA that crosses the §18.22 bound (number 35) is not the stream's last: a device cannot answer
   * it with the end-of-stream check ({@code 6A80}, §7.7) instead of {@code 6A84}. It is also the
   * least a suite may set.
   */
  static final long OVERSIZE_DEFAULT = DkProfile.MAX_STREAM_CAPACITY + 512L;

  // ---------------------------------------------------------------- SPAKE2+ evidence

  private static void wrongM1(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.openFramework();
    v.request(s);
    byte[] wrong = flipLastBit(s.m1());
    run.deviation(
        "SPAKE2+ VERIFY with a wrong M1",
        StatusWord.REFERENCED_DATA,
        "§5.4, §18.1: the device checks M1 before answering",
        step -> step.send(Spake2Messages.verify(s.y(), wrong)));
    run.reaction(
        "SPAKE2+ VERIFY retried with the right M1",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        VERIFY_STATE + "; the 6A88 reset the framework",
        step -> step.send(Spake2Messages.verify(s.y(), s.m1())));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void yNotOnCurve(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.openFramework();
    v.request(s);
    byte[] offCurve = offCurve(s.y());
    run.deviation(
        "SPAKE2+ VERIFY with a Y that is not on the curve",
        StatusWord.REFERENCED_DATA,
        "§5.3: the device rejects an invalid Y",
        step -> step.send(Spake2Messages.verify(offCurve, s.m1())));
    run.reaction(
        "SPAKE2+ VERIFY retried with the valid Y",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        VERIFY_STATE + "; the 6A88 reset the framework",
        step -> step.send(Spake2Messages.verify(s.y(), s.m1())));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  /** Y with its last coordinate byte changed until it is no point of P-256 (§5.3). */
  static byte[] offCurve(byte[] y) {
    byte[] bad = y.clone();
    while (true) {
      bad[bad.length - 1]++;
      try {
        P256.decodePoint(bad);
      } catch (CccException e) {
        return bad;
      }
    }
  }

  // ---------------------------------------------------------------- each command out of order

  private static void verifyBeforeRequest(ScenarioRun run) throws InterruptedException {
    run.vehicle().openFramework();
    VehicleSpake2 spake =
        VehicleSpake2.withScalar(
            run.context().verifier(), run.context().draws().scalar(Draws.Names.SPAKE2_Y));
    run.deviation(
        "SPAKE2+ VERIFY before any REQUEST",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        VERIFY_STATE + "; §18.10: the state check comes before the content",
        step -> step.send(Spake2Messages.verify(spake.share(), new byte[16])));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void writeDataAfterEnd(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    run.deviation(
        "WRITE DATA after the stream's last piece",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        "§3.6: WRITE DATA is allowed in SECURE and TX2 only, not in DATA_DONE",
        step ->
            step.send(
                v.protect(
                    s.channel(),
                    Ins.WRITE_DATA,
                    DkProfile.WRITE_DATA_P1_MORE,
                    0x00,
                    endOfStream())));
    run.sessionDropped(
        "OP CONTROL FLOW 10 01 continuing the refused session",
        "the refused WRITE DATA",
        step -> step.send(FrameworkCommands.opControlFlow(DkProfile.OP_FLOW_CREATE)));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void createTwice(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    v.createKey(s);
    run.deviation(
        "OP CONTROL FLOW 10 01 a second time",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        "§3.6: 10 01 is allowed in DATA_DONE only, not in AWAIT_TX2",
        step -> step.send(FrameworkCommands.opControlFlow(DkProfile.OP_FLOW_CREATE)));
    run.sessionDropped(
        "transaction 2 under the old keys (NFC reset, SELECT framework, GET DATA 7F26)",
        "the refused 10 01",
        step -> {
          v.reselect(step);
          step.send(FrameworkCommands.selectFramework());
          return step.send(v.protect(s.channel(), Ins.GET_DATA, 0x00, 0x00, statusTag()));
        });
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void getDataBeforeKey(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    SecureChannel before = s.channel().copy();
    run.deviation(
        "GET DATA 7F22 before any creation data",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        "§3.6: GET DATA is allowed in TX2 only, not in SECURE",
        step ->
            step.send(
                v.protect(
                    s.channel(),
                    Ins.GET_DATA,
                    0x00,
                    0x00,
                    Bytes.u16(DkProfile.TAG_INSTANCE_CA_CERT))));
    // §18.10: a state refusal comes before the MAC check, so the device's MCV did not move.
    byte[] first = v.creationPieces(s).get(0);
    run.sessionDropped(
        "WRITE DATA (the stream's first piece) under the old keys",
        "the refused GET DATA",
        step ->
            step.send(
                v.protect(before, Ins.WRITE_DATA, DkProfile.WRITE_DATA_P1_MORE, 0x00, first)));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void getResponseWithoutChain(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    v.createKey(s);
    v.startTransaction2(s);
    SecureChannel before = s.channel().copy();
    run.deviation(
        "GET RESPONSE with no response chain pending",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        "§3.6, §6.5: GET RESPONSE needs a pending chain",
        step -> step.send(v.protect(s.channel(), Ins.GET_RESPONSE, 0x00, 0x00, new byte[0])));
    run.sessionDropped(
        "GET DATA 7F26 under the old keys",
        "the refused GET RESPONSE",
        step -> step.send(v.protect(before, Ins.GET_DATA, 0x00, 0x00, statusTag())));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void endBeforeAttestation(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    v.createKey(s);
    v.startTransaction2(s);
    run.deviation(
        "OP CONTROL FLOW 11 11 before the 5F5A WRITE DATA",
        StatusWord.CONDITIONS_NOT_SATISFIED,
        "§3.6: 11 11 is allowed in ATTESTED only, not in TX2",
        step -> step.send(FrameworkCommands.opControlFlow(DkProfile.OP_FLOW_END)));
    run.sessionDropped(
        "GET DATA 7F26 under the old keys",
        "the refused 11 11",
        step -> step.send(v.protect(s.channel(), Ins.GET_DATA, 0x00, 0x00, statusTag())));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  // ---------------------------------------------------------------- WRITE DATA streams

  private static void createBeforeEnd(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    List<byte[]> pieces = v.creationPieces(s);
    if (pieces.size() > 1) {
      v.sendPieces(
          s, pieces, pieces.size() - 1, false, "WRITE DATA: the stream but its last piece");
    }
    run.deviation(
        "OP CONTROL FLOW 10 01 before the WRITE DATA with P1 = 80",
        StatusWord.INCORRECT_DATA,
        "§3.6, §10.1: 10 01 in SECURE, without the end of the stream, is 6A80",
        step -> step.send(FrameworkCommands.opControlFlow(DkProfile.OP_FLOW_CREATE)));
    byte[] last = pieces.get(pieces.size() - 1);
    run.sessionDropped(
        "the stream's last piece (P1 = 80) under the old keys",
        "the refused 10 01",
        step ->
            step.send(
                v.protect(s.channel(), Ins.WRITE_DATA, DkProfile.WRITE_DATA_P1_LAST, 0x00, last)));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void noAttestation(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    v.createKey(s);
    v.startTransaction2(s);
    v.readObject(s, DkProfile.TAG_ENDPOINT_CERT);
    run.deviation(
        "transaction-2 WRITE DATA stream without 5F5A (5F5F 00 only)",
        StatusWord.INCORRECT_DATA,
        "§7.7, §18.8: 5F5A is mandatory in transaction 2",
        step ->
            step.send(
                v.protect(
                    s.channel(),
                    Ins.WRITE_DATA,
                    DkProfile.WRITE_DATA_P1_LAST,
                    0x00,
                    endOfStream())));
    byte[] attested = v.attestationStream(s);
    run.sessionDropped(
        "the 5F5A stream under the old keys",
        "the refused stream",
        step ->
            step.send(
                v.protect(
                    s.channel(), Ins.WRITE_DATA, DkProfile.WRITE_DATA_P1_LAST, 0x00, attested)));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  private static void oversizeStream(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    int total = (int) run.parameter("streamBytes");
    byte[] stream = Arrays.copyOf(v.creationStream(s), total);
    List<byte[]> pieces = KeyCreationStream.chunks(stream);
    run.check(
        StepKind.DEVIATION,
        "WRITE DATA stream of " + total + " bytes",
        step -> {
          int accepted = 0;
          for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            byte[] piece = pieces.get(i);
            ResponseApdu response =
                step.send(
                    v.protect(
                        s.channel(),
                        Ins.WRITE_DATA,
                        last ? DkProfile.WRITE_DATA_P1_LAST : DkProfile.WRITE_DATA_P1_MORE,
                        0x00,
                        piece));
            OversizePiece at = new OversizePiece(i + 1, accepted, piece.length);
            if (response.sw() == StatusWord.SUCCESS) {
              // Kept in step with the device, so the probe below tells a kept session apart.
              v.unprotect(step, s.channel(), response, "WRITE DATA " + (i + 1));
              if (!at.crossesBound()) {
                accepted += piece.length;
                continue;
              }
            }
            judgeOversize(step, at, response.sw());
            return response;
          }
          throw new IllegalStateException("a stream of " + total + " bytes crosses the bound");
        });
    run.sessionDropped(
        "WRITE DATA under the old keys",
        "the refused stream",
        step ->
            step.send(
                v.protect(
                    s.channel(),
                    Ins.WRITE_DATA,
                    DkProfile.WRITE_DATA_P1_MORE,
                    0x00,
                    new byte[] {0x00})));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  /**
   * One WRITE DATA of the oversize stream: its number from 1 and the stream bytes before it.
   *
   * @param number the WRITE DATA's number in the stream, from 1
   * @param before the bytes the device accepted before it
   * @param length its plaintext length
   */
  record OversizePiece(int number, int before, int length) {
    int end() {
      return before + length;
    }

    /** §18.22: the piece whose bytes pass the 8192 every device's capacity stays within. */
    boolean crossesBound() {
      return before <= DkProfile.MAX_STREAM_CAPACITY && end() > DkProfile.MAX_STREAM_CAPACITY;
    }

    /** §3.5, §18.22: a piece within the first 4096 bytes must be accepted. */
    boolean withinMinimum() {
      return end() <= DkProfile.MIN_ACCEPTED_STREAM;
    }

    /** {@code WRITE DATA 35 (bytes 8127-8365)}. */
    String label() {
      return "WRITE DATA " + number + " (bytes " + (before + 1) + "-" + end() + ")";
    }
  }

  /**
   * §18.22: the first WRITE DATA not answered 9000, or the one crossing 8192 bytes, decides: 6A84
   * between 4096 and the crossing piece is the device's capacity; 6A84 earlier breaks §3.5's
   * minimum; anything else, or 9000 on the crossing piece, is no refusal of the oversize stream.
   */
  static void judgeOversize(StepContext step, OversizePiece at, int sw) {
    String crossing =
        at.crossesBound()
            ? "the one that crosses the " + DkProfile.MAX_STREAM_CAPACITY + "-byte bound"
            : "before the one that crosses the " + DkProfile.MAX_STREAM_CAPACITY + "-byte bound";
    if (sw == StatusWord.NOT_ENOUGH_MEMORY && !at.withinMinimum()) {
      step.detail(
          at.before()
              + " bytes accepted, then 6A84 on "
              + at.label()
              + ", "
              + crossing
              + ", as required (§18.22)");
    } else if (at.withinMinimum()) {
      step.fail(
          at.label()
              + " answered "
              + StatusWord.describe(sw)
              + ", expected 9000 (§3.5, §18.22: every device MUST accept "
              + DkProfile.MIN_ACCEPTED_STREAM
              + " bytes)");
    } else {
      step.fail(
          at.label()
              + ", "
              + crossing
              + ", answered "
              + StatusWord.describe(sw)
              + ", expected 6A84 (§18.22: no device accepts more than "
              + DkProfile.MAX_STREAM_CAPACITY
              + " bytes)");
    }
  }

  // ---------------------------------------------------------------- secure messaging

  private static void badCmac(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    List<byte[]> pieces = v.creationPieces(s);
    int p1 = pieces.size() == 1 ? DkProfile.WRITE_DATA_P1_LAST : DkProfile.WRITE_DATA_P1_MORE;
    SecureChannel before = s.channel().copy();
    CommandApdu good = v.protect(s.channel(), Ins.WRITE_DATA, p1, 0x00, pieces.get(0));
    run.deviation(
        "WRITE DATA with a wrong C-MAC",
        StatusWord.SECURITY_STATUS,
        "§6.1, §18.10: the device checks the C-MAC first",
        step -> step.send(withWrongMac(good)));
    run.sessionDropped(
        "the same WRITE DATA with the right C-MAC, under the old keys",
        "the bad C-MAC",
        step -> step.send(v.protect(before, Ins.WRITE_DATA, p1, 0x00, pieces.get(0))));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  /** The command with the last byte of its C-MAC flipped. */
  static CommandApdu withWrongMac(CommandApdu command) {
    byte[] data = command.data();
    data[data.length - 1] ^= 0x01;
    return new CommandApdu(
        command.cla(), command.ins(), command.p1(), command.p2(), data, command.le());
  }

  // ---------------------------------------------------------------- abort

  private static void abortMidPhase2(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.secureSession();
    v.sendCreationData(s);
    v.createKey(s);
    v.startTransaction2(s);
    run.deviation(
        "OP CONTROL FLOW 12 00 in the middle of transaction 2",
        StatusWord.SUCCESS,
        "§10.1: the device stores the reason, resets and answers 9000",
        step -> step.send(FrameworkCommands.abort(DkProfile.ABORT_UNSPECIFIED)));
    run.sessionDropped(
        "GET DATA 7F26 under the keys of the aborted session",
        "the abort",
        step -> step.send(v.protect(s.channel(), Ins.GET_DATA, 0x00, 0x00, statusTag())));
    run.noKeyCreated();
  }

  // ---------------------------------------------------------------- helpers

  /** The plaintext of GET DATA 7F26 (§8.2). */
  private static byte[] statusTag() {
    return Bytes.u16(DkProfile.TAG_KEY_CREATION_STATUS);
  }

  /** {@code 5F5F 00}: the end marker alone. */
  private static byte[] endOfStream() {
    byte[] end = new byte[END_PLAINTEXT_LENGTH];
    end[0] = 0x5F;
    end[1] = 0x5F;
    return end;
  }

  static byte[] flipLastBit(byte[] value) {
    byte[] out = value.clone();
    out[out.length - 1] ^= 0x01;
    return out;
  }
}
