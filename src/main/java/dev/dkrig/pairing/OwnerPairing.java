package dev.dkrig.pairing;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.random.Draws;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;
import dev.dkrig.transport.NfcTransport;
import java.time.Duration;
import java.util.Map;

/**
 * The vehicle role (the car's Digital Key module): owner pairing phases 1 to 4 as the contract's
 * step catalogue describes them (§2). The run drives an {@link NfcTransport} and an {@link
 * Advertiser} and reports one {@link StepResult} per step; every FAIL or ERROR aborts as §2 says,
 * and polling and advertising always stop on the way out.
 *
 * <p>One instance runs once. It shares no state with any device: what it learns comes from APDU
 * bytes. The run itself is a {@link PairingRun} of phases ({@link VehicleInternalPhase}, {@link
 * FrameworkPhase}, {@link KeyCreationPhase}, {@link AppletPhase}, {@link ReceiptPhase}) over the
 * protocol kernel ({@link dev.dkrig.pairing.protocol.VehicleSession}).
 */
public final class OwnerPairing {
  private final PairingRun.Inputs inputs;
  private boolean revealSecrets;
  private boolean used;

  public OwnerPairing(
      VehicleSettings settings,
      NfcTransport nfc,
      Advertiser ble,
      RigClock clock,
      Map<TimerName, Duration> timerValues,
      Draws draws,
      VehicleStore state,
      RunListener listener) {
    this(settings, nfc, ble, clock, clock, timerValues, draws, state, listener);
  }

  /**
   * With a separate clock for protocol content (the 5F5A time, certificate validity): test mode
   * (§18.2) fixes it at 2026-11-27T12:01:00Z while timers still run on {@code clock}.
   */
  public OwnerPairing(
      VehicleSettings settings,
      NfcTransport nfc,
      Advertiser ble,
      RigClock clock,
      RigClock protocolClock,
      Map<TimerName, Duration> timerValues,
      Draws draws,
      VehicleStore state,
      RunListener listener) {
    this.inputs =
        new PairingRun.Inputs(
            settings,
            nfc,
            ble,
            clock,
            protocolClock,
            new Timers(clock, timerValues),
            draws,
            state,
            listener);
  }

  /**
   * {@code --reveal-secrets}: the run hands its derived secrets (w0, SPAKE2+ keys, SystemKeys,
   * transaction keys) to the listeners, for lab debugging. Off by default; secrets never reach a
   * listener otherwise.
   */
  public OwnerPairing revealSecrets(boolean reveal) {
    this.revealSecrets = reveal;
    return this;
  }

  /** Runs owner pairing once. Never throws: every problem ends as a step result. */
  public PairingOutcome run() {
    if (used) {
      throw new IllegalStateException("an OwnerPairing runs once");
    }
    used = true;
    return new PairingRun(inputs, revealSecrets).run();
  }
}
