package dev.dkrig.pairing;

import dev.dkrig.state.DkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one owner-pairing run produced: one result per catalogue step in order, the verdict, the §15
 * events, and the DK record when one was stored.
 *
 * @param internalError a bug in the rig that ended the run (exit 70); empty otherwise
 */
public record PairingOutcome(
    List<StepResult> results,
    Verdict verdict,
    List<HuEvent> events,
    Instant start,
    Instant end,
    Optional<DkRecord> dk,
    Optional<Throwable> internalError) {

  public PairingOutcome {
    results = List.copyOf(results);
    events = List.copyOf(events);
  }

  public StepResult result(Step step) {
    return results.stream()
        .filter(r -> r.step() == step)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no result for " + step));
  }

  /** The first gating step, in catalogue order, that FAILed or ERRORed. */
  public Optional<StepResult> firstProblem() {
    return results.stream()
        .filter(r -> r.step().gating())
        .filter(r -> r.result() == Result.FAIL || r.result() == Result.ERROR)
        .findFirst();
  }
}
