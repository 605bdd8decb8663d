package dev.dkrig.pairing;

import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.time.RigClock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the run holds beyond one step and must settle on the way out whatever happened: the
 * precomputation (closed), the SPAKE2+ system keys (zeroed, issue 14) and the DK as the vehicle
 * stored it (kept, or deleted when T_OwnerPairing expires).
 */
final class RunHoldings {
  private final VehicleStore state;
  private final StepRecorder recorder;
  private final RigClock clock;
  private Precomputation precomputation;
  private SystemKeys systemKeys;
  private DkRecord storedDk;

  RunHoldings(VehicleStore state, StepRecorder recorder, RigClock clock) {
    this.state = state;
    this.recorder = recorder;
    this.clock = clock;
  }

  void precomputation(Precomputation started) {
    precomputation = started;
  }

  Precomputation precomputation() {
    return precomputation;
  }

  void systemKeys(SystemKeys keys) {
    systemKeys = keys;
  }

  /** The DK as last stored. */
  DkRecord dk() {
    return storedDk;
  }

  Optional<DkRecord> storedDk() {
    return Optional.ofNullable(storedDk);
  }

  /** Stores the DK in its new state, on behalf of the current step. */
  void store(DkRecord dk) {
    storedDk = dk;
    state.save(dk, recorder.current());
  }

  /** Whether no DK is stored or it never became ACTIVE (the HU is told of a failure, §15). */
  boolean dkNotActive() {
    return storedDk == null || storedDk.state() == DkState.PAIRED_PENDING;
  }

  /** §13: T_OwnerPairing expired: the DK stored so far is discarded. */
  void discardDk() {
    if (storedDk != null) {
      state.delete(storedDk);
      storedDk = null;
    }
  }

  void closePrecomputation() {
    if (precomputation != null) {
      precomputation.close();
    }
  }

  /** The run is over: the system keys are zeroed. */
  void wipeKeys() {
    if (systemKeys != null) {
      systemKeys.wipe();
      systemKeys = null;
    }
  }

  /**
   * Waits for the DK records written behind the run; a record that could not be saved makes the
   * step that produced it ERROR, before the verdict is computed (a PASS needs its record).
   */
  void flush() {
    try {
      state.flush();
    } catch (VehicleStore.NotSaved e) {
      Step step =
          e.origin()
              .filter(Step.class::isInstance)
              .map(Step.class::cast)
              .orElse(recorder.current());
      Instant start = recorder.result(step).map(StepResult::start).orElseGet(clock::now);
      recorder.put(
          StepResult.of(
              step,
              Result.ERROR,
              start,
              clock.now(),
              "the DK record could not be saved: " + e.getMessage()));
    } catch (RuntimeException e) {
      recorder.record(recorder.current(), Result.ERROR, "state folder: " + e.getMessage());
    }
  }
}
