package dev.dkrig.pairing;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.random.Draws;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.Timers;
import dev.dkrig.transport.NfcTransport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One owner-pairing run: the phases in order, each handing its typed result to the next; any
 * failure resolved as §2 says; on the way out, whatever happened, pairing mode and polling stop,
 * keys are wiped, undecided steps resolved and the DK records flushed; then the verdict.
 */
final class PairingRun {
  private final RigClock clock;
  private final StepRecorder recorder;
  private final VehicleLink link;
  private final PairingMode pairingMode;
  private final RunHoldings holdings;
  private final FailureResolution resolution;
  private final VehicleInternalPhase vehicleInternal;
  private final FrameworkPhase framework;
  private final KeyCreationPhase keyCreation;
  private final AppletPhase applet;
  private final ReceiptPhase receipt;

  /** The collaborators of a run, as {@link OwnerPairing} was given them. */
  record Inputs(
      VehicleSettings settings,
      NfcTransport nfc,
      Advertiser ble,
      RigClock clock,
      RigClock protocolClock,
      Timers timers,
      Draws draws,
      VehicleStore state,
      RunListener listener) {}

  PairingRun(Inputs in, boolean revealSecrets) {
    this.clock = in.clock();
    Timers timers = in.timers();
    this.recorder = new StepRecorder(in.clock(), in.listener());
    this.link =
        new VehicleLink(
            in.nfc(), in.clock(), timers, in.listener(), recorder, in.settings(), revealSecrets);
    RunWaits waits = new RunWaits(link, timers, in.clock(), in.listener(), recorder);
    this.pairingMode = new PairingMode(in.ble(), timers, in.clock(), in.listener());
    this.holdings = new RunHoldings(in.state(), recorder, in.clock());
    this.resolution =
        new FailureResolution(recorder, in.clock(), link, waits, pairingMode, holdings);
    PhaseSteps.Parts parts = new PhaseSteps.Parts(in.settings(), recorder, in.clock(), link, waits);
    StandardTransaction transaction =
        new StandardTransaction(in.settings(), link.session(), holdings, in.clock());
    this.vehicleInternal = new VehicleInternalPhase(parts, pairingMode, in.draws(), holdings);
    this.framework = new FrameworkPhase(parts, pairingMode, in.state(), holdings);
    this.keyCreation = new KeyCreationPhase(parts, in.protocolClock(), holdings);
    this.applet = new AppletPhase(parts, transaction, holdings);
    this.receipt = new ReceiptPhase(parts, transaction, holdings);
  }

  /** Runs owner pairing once. Never throws: every problem ends as a step result. */
  PairingOutcome run() {
    Instant start = clock.now();
    Throwable internal = null;
    try {
      Optional<PairingModeEntered> mode = vehicleInternal.run();
      if (mode.isPresent()) {
        receipt.run(applet.run(keyCreation.run(framework.run(mode.get()))));
      }
    } catch (StepFailure failure) {
      resolution.stepFailed(recorder.current(), failure);
    } catch (TimerExpired expired) {
      resolution.timerExpired(expired.timer(), framework.lastRefusal());
    } catch (InterruptedException | OperatorInterrupt e) {
      // Clear the flag so the abort and the NFC reset can still go out, then restore it.
      Thread.interrupted();
      resolution.stepFailed(
          recorder.current(),
          StepFailure.error("interrupted by the operator (Ctrl-C or SIGTERM)", e));
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      internal = e;
      resolution.stepFailed(
          recorder.current(), StepFailure.error("internal error in dkrig: " + e, e));
    } finally {
      holdings.closePrecomputation();
      pairingMode.stop();
      link.stopPolling();
      // The run is over: dkrig's own key bytes are zeroed (issue 14).
      link.session().wipeChannels();
      holdings.wipeKeys();
      resolution.resolveDeferredSteps();
      recorder.skipRemaining("not reached");
      holdings.flush();
    }
    List<StepResult> results = recorder.inCatalogueOrder();
    return new PairingOutcome(
        results,
        Verdict.of(results),
        recorder.events(),
        start,
        clock.now(),
        holdings.storedDk(),
        Optional.ofNullable(internal));
  }
}
