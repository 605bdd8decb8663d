package dev.dkrig.pairing;

import dev.dkrig.time.RigClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Collects one result per catalogue step (§2) while the flow runs, and what the run tells the head
 * unit and the operator on the way. A step that is retried or repeated keeps the start of its first
 * attempt and the end of its last. Knows the current step: APDUs, notes and failures between steps
 * belong to it.
 */
final class StepRecorder {
  private final RigClock clock;
  private final RunListener listener;
  private final Map<Step, Instant> starts = new EnumMap<>(Step.class);
  private final Map<Step, StepResult> results = new EnumMap<>(Step.class);
  private final Map<Step, Integer> lastSw = new EnumMap<>(Step.class);
  private final List<HuEvent> events = new ArrayList<>();
  private Step current = Step.P1_1;

  StepRecorder(RigClock clock, RunListener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /** The step the run is in. */
  Step current() {
    return current;
  }

  /** The run is in this step again (a loop that belongs to it), without a new start. */
  void current(Step step) {
    current = step;
  }

  /** The run enters a step: it becomes current and its start is marked. */
  void enter(Step step) {
    current = step;
    begin(step);
  }

  /** The step passes with this detail and the last status word its APDUs got. */
  void pass(Step step, String detail) {
    StepResult result = StepResult.of(step, Result.PASS, begin(step), clock.now(), detail);
    Integer sw = lastSw.get(step);
    put(sw == null ? result : result.withSw(sw));
  }

  /** The current step's last answer carried this status word. */
  void sawSw(int sw) {
    lastSw.put(current, sw);
  }

  /** The last status word a step's APDUs got, if any. */
  OptionalInt lastSw(Step step) {
    Integer sw = lastSw.get(step);
    return sw == null ? OptionalInt.empty() : OptionalInt.of(sw);
  }

  /** An HU or backend message of the run (§15), kept for the outcome and shown to listeners. */
  void emit(HuEvent event) {
    events.add(event);
    listener.event(event);
  }

  List<HuEvent> events() {
    return events;
  }

  /** A line for the operator's log. */
  void note(String text) {
    listener.note(clock.now(), text);
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
