package dev.dkrig.conformance;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * The result of one step of a scenario run: a name that says what the vehicle did, its kind, the
 * result of §2's kinds (PASS, FAIL, ERROR, SKIPPED, INFO), a one-line detail and the last status
 * word the step saw.
 */
public record ScenarioStep(
    String name,
    StepKind kind,
    Result result,
    String detail,
    OptionalInt sw,
    Instant start,
    Instant end) {

  public ScenarioStep {
    detail = detail == null ? "" : detail.replaceAll("[\\r\\n]+", " ");
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  /** The status word as four hex digits, or null. */
  public String swHex() {
    return sw.isPresent() ? Hex.u16(sw.getAsInt()) : null;
  }
}
