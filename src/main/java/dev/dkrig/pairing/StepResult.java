package dev.dkrig.pairing;

import dev.dkrig.iso7816.Hex;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One record per catalogue step (§2): result, start and end, a one-line detail, and where
 * applicable the last status word, the P1P2 of an abort that was sent, and an expired timer.
 *
 * @param abort the P1P2 of the abort sent ({@code 120B} or {@code 000B}), when one was sent
 */
public record StepResult(
    Step step,
    Result result,
    Instant start,
    Instant end,
    String detail,
    OptionalInt sw,
    OptionalInt abort,
    Optional<AbortReason> abortReason,
    Optional<String> timer) {

  public StepResult {
    detail = detail == null ? "" : detail;
  }

  public static StepResult of(Step step, Result result, Instant start, Instant end, String detail) {
    return new StepResult(
        step,
        result,
        start,
        end,
        detail,
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public StepResult withSw(int statusWord) {
    return new StepResult(
        step, result, start, end, detail, OptionalInt.of(statusWord), abort, abortReason, timer);
  }

  public StepResult withAbort(int p1p2, AbortReason reason) {
    return new StepResult(
        step, result, start, end, detail, sw, OptionalInt.of(p1p2), Optional.of(reason), timer);
  }

  public StepResult withTimer(String name) {
    return new StepResult(
        step, result, start, end, detail, sw, abort, abortReason, Optional.of(name));
  }

  public String swHex() {
    return sw.isPresent() ? Hex.u16(sw.getAsInt()) : null;
  }

  public String abortHex() {
    return abort.isPresent() ? Hex.u16(abort.getAsInt()) : null;
  }
}
