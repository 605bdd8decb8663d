package dev.dkrig.conformance;

import dev.dkrig.pairing.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a suite run produced: one result per scenario run in order, the suite verdict (ERROR if any
 * scenario run is ERROR, else FAIL if any FAILs, else PASS), and whether it was cut short.
 *
 * @param internalError a bug in dkrig that ended a scenario (exit 70)
 */
public record SuiteOutcome(
    Suite suite,
    int repeat,
    List<ScenarioResult> results,
    Instant start,
    Instant end,
    boolean interrupted,
    Optional<Throwable> internalError) {

  public SuiteOutcome {
    results = List.copyOf(results);
  }

  public Verdict verdict() {
    if (interrupted || results.stream().anyMatch(r -> r.verdict() == Verdict.ERROR)) {
      return Verdict.ERROR;
    }
    return results.stream().anyMatch(r -> r.verdict() == Verdict.FAIL)
        ? Verdict.FAIL
        : Verdict.PASS;
  }

  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }
}
