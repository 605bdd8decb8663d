package dev.dkrig.pairing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one owner-pairing run produced: one result per catalogue step in order, the verdict, the §15
 * events, and the DK record when one was stored.
 *
 * @param internalError a bug in the rig that ended the run (exit 70); empty otherwise
 * @param runProblems what made the run as a whole unable to test what was asked, beyond its steps
 *     (e.g. an injected fault that never fired, issue 15); each makes the verdict at least ERROR
 */
public record PairingOutcome(
    List<StepResult> results,
    Verdict verdict,
    List<HuEvent> events,
    Instant start,
    Instant end,
    Optional<DkRecord> dk,
    Optional<Throwable> internalError,
    List<String> runProblems) {

  public PairingOutcome {
    results = List.copyOf(results);
    events = List.copyOf(events);
    runProblems = List.copyOf(runProblems);
  }

  /** An outcome with no run-level problem. */
  public PairingOutcome(
      List<StepResult> results,
      Verdict verdict,
      List<HuEvent> events,
      Instant start,
      Instant end,
      Optional<DkRecord> dk,
      Optional<Throwable> internalError) {
    this(results, verdict, events, start, end, dk, internalError, List.of());
  }

  /**
   * The same run with a run-level problem added: the verdict becomes ERROR, unless a step already
   * FAILed (the device's failure stays the finding; the problem is noted beside it).
   */
  public PairingOutcome withRunProblem(String problem) {
    List<String> problems = new java.util.ArrayList<>(runProblems);
    problems.add(problem);
    return new PairingOutcome(
        results,
        verdict == Verdict.FAIL ? Verdict.FAIL : Verdict.ERROR,
        events,
        start,
        end,
        dk,
        internalError,
        problems);
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
