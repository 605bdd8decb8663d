package dev.dkrig.conformance;

import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One scenario run: its verdict (PASS: the device reacted as required; FAIL: it did not; ERROR: the
 * bench failed), the one-line cause of a FAIL or ERROR, every step and the APDUs behind them.
 *
 * @param label the scenario name, with {@code #n} when the suite runs it more than once
 */
public record ScenarioResult(
    ConformanceScenario scenario,
    String label,
    Verdict verdict,
    Optional<String> cause,
    List<ScenarioStep> steps,
    List<Exchange> exchanges,
    Instant start,
    Instant end) {

  public ScenarioResult {
    steps = List.copyOf(steps);
    exchanges = List.copyOf(exchanges);
  }

  /**
   * The verdict of §2 over the steps (INFO and SKIPPED do not count) and the cause: the detail of
   * the first step that decided it.
   */
  static ScenarioResult of(
      ConformanceScenario scenario,
      String label,
      List<ScenarioStep> steps,
      List<Exchange> exchanges,
      Instant start,
      Instant end) {
    Result decisive =
        steps.stream().anyMatch(s -> s.result() == Result.ERROR)
            ? Result.ERROR
            : steps.stream().anyMatch(s -> s.result() == Result.FAIL) ? Result.FAIL : Result.PASS;
    Optional<String> cause =
        steps.stream()
            .filter(s -> s.result() == decisive && decisive != Result.PASS)
            .findFirst()
            .map(s -> s.detail());
    return new ScenarioResult(
        scenario, label, Verdict.valueOf(decisive.name()), cause, steps, exchanges, start, end);
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  /** The APDUs a step sent, in order. */
  public List<Exchange> exchangesOf(String step) {
    return exchanges.stream().filter(e -> e.step().equals(step)).toList();
  }
}
