package dev.dkrig.phone;

import dev.dkrig.io.SafeText;
import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The phone's step results as they are decided: each step is decided once; the first FAIL or ERROR
 * of a gating step is the run's problem; {@link #complete} fills what was never reached. Results
 * are handed out in the order they were decided ({@link #drainDecided()}), so a listener can mark
 * step boundaries.
 */
final class StepBook {
  private final Map<Step, StepResult> decided = new EnumMap<>(Step.class);
  private final Map<Step, Instant> started = new EnumMap<>(Step.class);
  private final List<StepResult> undelivered = new ArrayList<>();
  private StepResult problem;

  boolean isDecided(Step step) {
    return decided.containsKey(step);
  }

  Optional<StepResult> get(Step step) {
    return Optional.ofNullable(decided.get(step));
  }

  /** The first FAIL or ERROR, if any. */
  Optional<StepResult> problem() {
    return Optional.ofNullable(problem);
  }

  /** Notes when a step began (its first APDU); the result's start. */
  void begin(Step step, Instant at) {
    started.putIfAbsent(step, at);
  }

  Instant startOf(Step step, Instant fallback) {
    return started.getOrDefault(step, fallback);
  }

  void pass(Step step, Instant at, String detail) {
    decide(step, Result.PASS, at, detail, -1);
  }

  void info(Step step, Instant at, String detail) {
    decide(step, Result.INFO, at, detail, -1);
  }

  void skipped(Step step, Instant at, String detail) {
    decide(step, Result.SKIPPED, at, detail, -1);
  }

  void fail(Step step, Instant at, String detail, int sw) {
    decide(step, Result.FAIL, at, detail, sw);
  }

  void error(Step step, Instant at, String detail) {
    decide(step, Result.ERROR, at, detail, -1);
  }

  /** A FAIL caused by an abort the vehicle sent (the abort is recorded with the step). */
  void failWithAbort(Step step, Instant at, String detail, int abortP1p2) {
    decide(step, Result.FAIL, at, detail, -1);
    attachAbort(step, abortP1p2);
  }

  /** Records the abort the vehicle sent with an already decided step. */
  void attachAbort(Step step, int abortP1p2) {
    StepResult result = decided.get(step);
    Optional<AbortReason> reason = reasonOf(abortP1p2 & 0xFF);
    if (result == null || reason.isEmpty()) {
      return;
    }
    StepResult withAbort = result.withAbort(abortP1p2, reason.get());
    replace(step, withAbort);
  }

  static Optional<AbortReason> reasonOf(int code) {
    for (AbortReason reason : AbortReason.values()) {
      if (reason.code() == code) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  private void decide(Step step, Result result, Instant at, String detail, int sw) {
    if (decided.containsKey(step)) {
      return;
    }
    StepResult made = StepResult.of(step, result, startOf(step, at), at, SafeText.line(detail));
    if (sw >= 0) {
      made = made.withSw(sw);
    }
    decided.put(step, made);
    undelivered.add(made);
    boolean problematic = result == Result.FAIL || result == Result.ERROR;
    if (problematic && problem == null && step.gating()) {
      problem = made;
    }
    if (problematic) {
      // §2: the sub-steps of P2.4 take its FAIL or ERROR as their own; a failed P1.6.1 or P1.6.2
      // decides P1.6.
      for (Step sub : step.subSteps()) {
        decide(sub, result, at, "as " + step.id() + ": " + detail, sw);
      }
      if (step.failureDecidesParent()) {
        step.parent()
            .ifPresent(parent -> decide(parent, result, at, step.id() + ": " + detail, sw));
      }
    }
  }

  private void replace(Step step, StepResult result) {
    decided.put(step, result);
    for (int i = 0; i < undelivered.size(); i++) {
      if (undelivered.get(i).step() == step) {
        undelivered.set(i, result);
      }
    }
    if (problem != null && problem.step() == step) {
      problem = result;
    }
  }

  /** The results decided since the last call, in the order they were decided. */
  List<StepResult> drainDecided() {
    List<StepResult> out = List.copyOf(undelivered);
    undelivered.clear();
    return out;
  }

  /**
   * Every step not decided yet becomes SKIPPED with {@code why}; then all 42, in catalogue order.
   */
  List<StepResult> complete(Instant at, java.util.function.Function<Step, String> why) {
    for (Step step : Step.catalogue()) {
      if (!decided.containsKey(step)) {
        skipped(step, at, why.apply(step));
      }
    }
    List<StepResult> all = new ArrayList<>();
    for (Step step : Step.catalogue()) {
      all.add(decided.get(step));
    }
    return all;
  }
}
