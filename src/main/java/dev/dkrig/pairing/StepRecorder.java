package dev.dkrig.pairing;

import dev.dkrig.time.RigClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects one result per catalogue step (§2) while the flow runs. A step that is retried or
 * repeated keeps the start of its first attempt and the end of its last.
 */
final class StepRecorder {
  private final RigClock clock;
  private final RunListener listener;
  private final Map<Step, Instant> starts = new EnumMap<>(Step.class);
  private final Map<Step, StepResult> results = new EnumMap<>(Step.class);

  StepRecorder(RigClock clock, RunListener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /** Marks the start of a step (only the first call counts). */
  Instant begin(Step step) {
    return starts.computeIfAbsent(
        step,
        s -> {
          Instant now = clock.now();
          listener.stepStarted(s, now);
          return now;
        });
  }

  boolean started(Step step) {
    return starts.containsKey(step);
  }

  boolean finished(Step step) {
    return results.containsKey(step);
  }

  Optional<StepResult> result(Step step) {
    return Optional.ofNullable(results.get(step));
  }

  StepResult record(Step step, Result result, String detail) {
    Instant start = begin(step);
    return put(StepResult.of(step, result, start, clock.now(), detail));
  }

  StepResult put(StepResult result) {
    begin(result.step());
    results.put(result.step(), result);
    listener.stepFinished(result);
    return result;
  }

  /** Every step without a result becomes SKIPPED with the reason. */
  void skipRemaining(String reason) {
    for (Step step : Step.values()) {
      if (!results.containsKey(step)) {
        Instant at = starts.getOrDefault(step, clock.now());
        put(
            StepResult.of(
                step, Result.SKIPPED, at, starts.containsKey(step) ? clock.now() : at, reason));
      }
    }
  }

  List<StepResult> inCatalogueOrder() {
    List<StepResult> out = new ArrayList<>();
    for (Step step : Step.values()) {
      StepResult r = results.get(step);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }
}
