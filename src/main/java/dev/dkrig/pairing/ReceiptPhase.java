package dev.dkrig.pairing;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Checks;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.TransactionResult;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;

/**
 * Phase 4, the key-tracking receipt (§12): standard transactions every T_KtsPollInterval until
 * SigBmp bit 0 says the receipt is there (P4.1, P4.2, P4.2.1), then EXCHANGE {@code E3 00} fetches
 * it (P4.2.2) and the vehicle verifies it (P4.2.3).
 */
final class ReceiptPhase extends PhaseSteps {
  private final StandardTransaction transaction;
  private final RunHoldings holdings;

  ReceiptPhase(Parts parts, StandardTransaction transaction, RunHoldings holdings) {
    super(parts);
    this.transaction = transaction;
    this.holdings = holdings;
  }

  /** A lost tag mid-transaction: the poll restarts (§18.18). */
  static final class TagLostInPoll extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** Phase 4, or its steps SKIPPED when the profile switches it off. */
  void run(OwnerPaired paired) throws InterruptedException {
    if (!settings.phase4()) {
      for (Step step : Step.ofPhase(4)) {
        recorder.record(step, Result.SKIPPED, "phase 4 disabled (--no-phase4)");
      }
      return;
    }
    waits.timers().start(TimerName.T_KtsWait);
    Instant pollsFrom = clock.now();
    // The §12.2 poll loop is P4.2.1's subject; a problem while waiting belongs to it.
    enter(Step.P4_2_1);
    int transactions = 0;
    int noTarget = 0;
    int pollsRestarted = 0;
    boolean pollingPast = false;
    while (true) {
      recorder.current(Step.P4_2_1);
      waits.waitFor(waits.value(TimerName.T_KtsPollInterval));
      if (waits.expired(TimerName.T_KtsWait)) {
        if (!pollsPastKtsWait(pollsFrom)) {
          ktsWaitExpired(transactions, noTarget, pollsRestarted);
          return;
        }
        if (!pollingPast) {
          pollingPast = true;
          note("T_KtsWait expired; polling on (vehicle quirk poll-past-kts-wait, §12.2 broken)");
        }
      }
      link.reset();
      if (!waits.awaitTarget(
          DkProfile.NO_TARGET_RETRY,
          "keep the phone on the pad until the key-tracking receipt arrives",
          TimerName.T_KtsWait)) {
        noTarget++;
        continue;
      }
      TransactionResult result;
      try {
        result = phase4Transaction(paired.agreedApplet());
      } catch (TagLostInPoll e) {
        pollsRestarted++;
        note("tag lost during a phase-4 transaction; polling again");
        session.selected(Selected.NONE);
        session.wipeApplet();
        continue;
      }
      transactions++;
      if (result.auth1().receiptAvailable()) {
        fetchAndVerifyReceipt(paired, result, transactions, pollsRestarted);
        return;
      }
      // SigBmp bit 0 = 0: end this transaction and poll again later (§12.2).
      transaction.end(result.keys());
      note("SigBmp " + Hex.u16(result.auth1().sigBmp()) + ": no receipt yet");
    }
  }

  /**
   * Whether the vehicle quirk {@code poll-past-kts-wait} keeps this expired loop polling: for as
   * long again as T_KtsWait, so that the run still ends.
   */
  private boolean pollsPastKtsWait(Instant pollsFrom) {
    return settings.has(VehicleQuirk.POLL_PAST_KTS_WAIT)
        && Duration.between(pollsFrom, clock.now())
                .compareTo(waits.value(TimerName.T_KtsWait).multipliedBy(2))
            <= 0;
  }

  /** P4.1 and P4.2 pass once phase 4 ends after at least one complete transaction. */
  private void passPhase4Transactions(int transactions, int pollsRestarted) {
    pass(
        Step.P4_1,
        transactions
            + " transaction(s): SELECT, version check, AUTH0 each 9000"
            + (pollsRestarted > 0
                ? "; " + pollsRestarted + " poll(s) restarted after a tag lost mid-transaction"
                : ""));
    pass(Step.P4_2, transactions + " transaction(s): AUTH1 and §11.6 checks passed");
  }

  /** P4.1 and P4.2 for one transaction; a lost tag restarts the poll (§18.18). */
  TransactionResult phase4Transaction(int agreedApplet) throws TagLostInPoll {
    enter(Step.P4_1);
    try {
      ResponseApdu response = link.sendRaw(FrameworkCommands.selectApplet());
      Checks.check(response, "SELECT applet", null);
      session.selected(Selected.APPLET);
      SelectAppletResponse select = VehicleSession.parseAppletSelect(response);
      VehicleSession.requireAgreedVersion(select, agreedApplet);
      TransactionPending pending = transaction.auth0(agreedApplet, select.appletVersions());
      enter(Step.P4_2);
      Auth1ResponsePlaintext auth1 = transaction.auth1(pending);
      return new TransactionResult(auth1, pending.keys());
    } catch (TransportException e) {
      if (e.kind() == TransportException.Kind.TAG_LOST) {
        throw new TagLostInPoll();
      }
      throw link.failure(e, "phase-4 transaction");
    } catch (StepFailure f) {
      if (Failures.tagLost(f)) {
        throw new TagLostInPoll();
      }
      throw f;
    }
  }

  /** P4.2.1–P4.2.3: EXCHANGE E3 00, the receipt checks of §12.4, CONTROL FLOW 01 00. */
  void fetchAndVerifyReceipt(
      OwnerPaired paired, TransactionResult last, int transactions, int pollsRestarted) {
    passPhase4Transactions(transactions, pollsRestarted);
    pass(
        Step.P4_2_1,
        "SigBmp bit 0 set in transaction "
            + transactions
            + ", "
            + Durations.format(Duration.between(paired.completedAt(), clock.now()))
            + " after P3.6"
            + (settings.has(VehicleQuirk.POLL_PAST_KTS_WAIT) && waits.expired(TimerName.T_KtsWait)
                ? ", past T_KtsWait (vehicle quirk poll-past-kts-wait)"
                : ""));
    enter(Step.P4_2_2);
    byte[] receipt = session.fetchReceipt();
    pass(
        Step.P4_2_2,
        "KTS_Response " + receipt.length + " bytes, all pieces 9000 with valid R-MACs");
    enter(Step.P4_2_3);
    ReceiptPlaintext plaintext;
    try {
      plaintext =
          KtsResponse.verifyReceipt(
              receipt,
              settings.zz2PublicKey(),
              settings.devxEncKey(),
              settings.vehicleIdentifier(),
              holdings.dk().dkId().value());
    } catch (CccException e) {
      throw Failures.ccc(
          "KTS_Response", e, CccException.Failure.MISMATCH, AbortReason.VERIFICATION_FAILED);
    }
    transaction.end(last.keys());
    holdings.store(holdings.dk().withReceipt(plaintext.encode(), clock.now()));
    pass(
        Step.P4_2_3,
        "signature (ZZ2), decryption (Devx.Enc) and identifiers valid; receipt "
            + printable(plaintext.receiptIdentifier())
            + " issued "
            + Instant.ofEpochSecond(plaintext.issueTime())
            + "; CONTROL FLOW 01 00 → 9000; DK RECEIPT_VERIFIED");
  }

  /** P4.2.1 FAILs when T_KtsWait expires; P4.1 and P4.2 tell what ran (§18.13). */
  void ktsWaitExpired(int transactions, int noTarget, int pollsRestarted) {
    String detail =
        "T_KtsWait ("
            + Durations.compact(waits.value(TimerName.T_KtsWait))
            + ") expired without SigBmp bit 0 ("
            + transactions
            + " transaction(s), "
            + noTarget
            + " poll(s) with no device)"
            + (settings.has(VehicleQuirk.POLL_PAST_KTS_WAIT)
                ? "; polled on past it for as long again (vehicle quirk poll-past-kts-wait)"
                : "");
    if (transactions == 0) {
      // §18.13: no transaction ran.
      String why =
          pollsRestarted > 0
              ? "no phase-4 transaction completed ("
                  + pollsRestarted
                  + " restarted after a tag lost mid-transaction)"
              : "no phase-4 transaction ran (no device presented)";
      recorder.record(Step.P4_1, Result.SKIPPED, why);
      recorder.record(Step.P4_2, Result.SKIPPED, why);
    } else {
      passPhase4Transactions(transactions, pollsRestarted);
    }
    recorder.put(
        StepResult.of(Step.P4_2_1, Result.FAIL, recorder.begin(Step.P4_2_1), clock.now(), detail)
            .withTimer(TimerName.T_KtsWait.name()));
    for (Step skipped : Step.P4_2_1.skippedAfterFailure()) {
      recorder.record(skipped, Result.SKIPPED, "not reached: P4.2.1 FAIL");
    }
  }

  /** ASCII when every byte is printable (T1's "RECEIPT-00000001"), else hex. */
  private static String printable(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7E) {
        return Hex.encode(bytes);
      }
    }
    return "\"" + new String(bytes, java.nio.charset.StandardCharsets.US_ASCII) + "\"";
  }
}
