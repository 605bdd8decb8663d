package dev.dkrig.pairing;

import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.pairing.protocol.Wire;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.Timers;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The run's way to the device: every APDU goes out here, after the run timers are checked, timed
 * for the turnaround meter and shown to the listeners under the current step. Bench failures become
 * step failures (§18.18); aborts go to the selected application while the link can carry them
 * (§10.2). The protocol kernel ({@link VehicleSession}) sends through it as its {@link Wire}.
 */
public final class VehicleLink implements Wire {
  private final NfcTransport nfc;
  private final RigClock clock;
  private final Timers timers;
  private final RunListener listener;
  private final StepRecorder recorder;
  private final TurnaroundMeter turnaround = new TurnaroundMeter();
  private final VehicleSession session;
  private final VehicleSettings settings;
  private final boolean revealSecrets;
  private boolean usable = true;

  VehicleLink(
      NfcTransport nfc,
      RigClock clock,
      Timers timers,
      RunListener listener,
      StepRecorder recorder,
      VehicleSettings settings,
      boolean revealSecrets) {
    this.nfc = nfc;
    this.clock = clock;
    this.timers = timers;
    this.listener = listener;
    this.recorder = recorder;
    this.settings = settings;
    this.revealSecrets = revealSecrets;
    this.session = new VehicleSession(this);
  }

  /** The protocol kernel's session over this link. */
  public VehicleSession session() {
    return session;
  }

  public String description() {
    return nfc.description();
  }

  /** Sends one APDU, mapping bench failures to step failures (§18.18). */
  @Override
  public ResponseApdu send(CommandApdu command) {
    try {
      return sendRaw(command);
    } catch (TransportException e) {
      throw failure(e, Ins.name(command));
    }
  }

  /** Sends one APDU; a bench failure is the caller's to judge (a lost tag during SELECT). */
  public ResponseApdu sendRaw(CommandApdu command) {
    RunWaits.checkRunTimers(timers);
    ResponseApdu response = exchange(command);
    recorder.sawSw(response.sw());
    return response;
  }

  /** One APDU on the wire, timed for the turnaround meter and shown to the listeners. */
  private ResponseApdu exchange(CommandApdu command) {
    Instant sent = clock.now();
    turnaround
        .beforeSend(sent)
        .ifPresent(host -> listener.turnaround(recorder.current(), command, host));
    ResponseApdu response = null;
    try {
      response = nfc.transmit(command);
      return response;
    } finally {
      Instant received = clock.now();
      turnaround.exchanged(received, response != null);
      listener.exchange(recorder.current(), command, response, sent, received);
    }
  }

  /** A bench failure as the step's failure; after a lost tag or a broken bench no abort goes. */
  public StepFailure failure(TransportException e, String what) {
    if (Thread.currentThread().isInterrupted()) {
      // The exchange ended because the operator stopped the run, not because the bench failed.
      throw new OperatorInterrupt();
    }
    if (!Failures.linkUsableAfter(e.kind())) {
      usable = false;
    }
    return Failures.transport(e, what);
  }

  /** The reader itself failed (polling did not start): no abort can go any more. */
  void unusable() {
    usable = false;
  }

  /**
   * Sends the abort to the selected application; ignores its outcome (§10.2). Returns P1 P2 of the
   * abort that went out, empty when none did (nothing selected, the link lost, or the vehicle quirk
   * {@code no-abort}).
   */
  public OptionalInt sendAbort(AbortReason reason) {
    if (session.selected() == Selected.NONE || !usable) {
      return OptionalInt.empty();
    }
    if (settings.has(VehicleQuirk.NO_ABORT)) {
      session.takeAbort(reason);
      recorder.note(
          "abort " + reason.describe() + " not sent (vehicle quirk no-abort, §10.2 broken)");
      return OptionalInt.empty();
    }
    AbortReason sent = settings.has(VehicleQuirk.WRONG_ABORT_CODE) ? wrongCode(reason) : reason;
    if (sent != reason) {
      recorder.note(
          "abort "
              + sent.describe()
              + " sent instead of "
              + reason.describe()
              + " (vehicle quirk wrong-abort-code, §10.2 broken)");
    }
    CommandApdu abort = session.takeAbort(sent).orElseThrow();
    try {
      exchange(abort);
    } catch (TransportException e) {
      recorder.note("abort " + Hex.encode(abort.header()) + " not delivered: " + e.getMessage());
    }
    return OptionalInt.of(abort.p1p2());
  }

  /**
   * The code {@code wrong-abort-code} sends: {@code 00} for any other, {@code 0B} for {@code 00}.
   */
  private static AbortReason wrongCode(AbortReason reason) {
    return reason == AbortReason.UNSPECIFIED
        ? AbortReason.VERIFICATION_FAILED
        : AbortReason.UNSPECIFIED;
  }

  public void startPolling() throws TransportException {
    nfc.startPolling();
  }

  public void stopPolling() {
    nfc.stopPolling();
  }

  /** Polls for a target for {@code slice}; the time is no host turnaround. */
  public boolean poll(Duration slice) throws InterruptedException {
    Instant start = clock.now();
    try {
      return nfc.awaitTarget(slice);
    } catch (TransportException e) {
      throw failure(e, "polling");
    } finally {
      turnaround.excluded(start, clock.now());
    }
  }

  /** The contract's NFC reset (§3.2); a failure is noted, the next poll finds out the rest. */
  public void reset() {
    Instant start = clock.now();
    try {
      nfc.reset();
      listener.nfcReset(clock.now());
    } catch (TransportException e) {
      recorder.note("NFC reset failed: " + e.getMessage());
    } finally {
      turnaround.excluded(start, clock.now());
    }
  }

  /** Time spent waiting, not in the host: excluded from the turnaround meter. */
  void waited(Instant from, Instant to) {
    turnaround.excluded(from, to);
  }

  @Override
  public void plaintext(boolean command, byte[] plaintext) {
    listener.plaintext(recorder.current(), command, shown(plaintext));
  }

  @Override
  public void secret(String name, byte[] value) {
    if (revealSecrets) {
      listener.secret(recorder.current(), name, value);
    }
  }

  /**
   * A plaintext as the listeners see it: hex, with the vehicle's BLE IRK (7F49, a secret that
   * resolves the car's private addresses) shown as {@code [IRK ****]} unless secrets are revealed.
   */
  private String shown(byte[] plaintext) {
    if (revealSecrets) {
      return Hex.encode(plaintext);
    }
    byte[] irk = settings.ble().irk();
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < plaintext.length) {
      if (i + irk.length <= plaintext.length
          && Arrays.equals(plaintext, i, i + irk.length, irk, 0, irk.length)) {
        out.append("[IRK ****]");
        i += irk.length;
      } else {
        out.append(Hex.u8(plaintext[i] & 0xFF));
        i++;
      }
    }
    Arrays.fill(irk, (byte) 0);
    return out.toString();
  }
}
