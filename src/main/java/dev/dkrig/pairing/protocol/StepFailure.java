package dev.dkrig.pairing.protocol;

import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.time.TimerName;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A step ended FAIL or ERROR. Carries what the record needs (§2): the one-line cause, the last
 * status word, the abort to send (if any) and an expired timer. Thrown by the protocol kernel and
 * the pairing's steps, caught by the role that runs them (the pairing's run, a scripted vehicle).
 */
public final class StepFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Result result;
  private final OptionalInt sw;
  private final transient Optional<AbortReason> abort;
  private final transient Optional<TimerName> timer;

  private StepFailure(
      Result result,
      String detail,
      OptionalInt sw,
      Optional<AbortReason> abort,
      Optional<TimerName> timer,
      Throwable cause) {
    super(detail, cause, false, false);
    this.result = result;
    this.sw = sw;
    this.abort = abort;
    this.timer = timer;
  }

  public static StepFailure fail(String detail, AbortReason abort) {
    return new StepFailure(
        Result.FAIL,
        detail,
        OptionalInt.empty(),
        Optional.ofNullable(abort),
        Optional.empty(),
        null);
  }

  public static StepFailure fail(String detail, int sw, AbortReason abort) {
    return new StepFailure(
        Result.FAIL,
        detail,
        OptionalInt.of(sw),
        Optional.ofNullable(abort),
        Optional.empty(),
        null);
  }

  public static StepFailure error(String detail, Throwable cause) {
    return new StepFailure(
        Result.ERROR, detail, OptionalInt.empty(), Optional.empty(), Optional.empty(), cause);
  }

  public static StepFailure timer(TimerName timer, String detail, AbortReason abort) {
    return new StepFailure(
        Result.FAIL,
        detail,
        OptionalInt.empty(),
        Optional.ofNullable(abort),
        Optional.of(timer),
        null);
  }

  public StepFailure withSw(int statusWord) {
    return new StepFailure(
        result, getMessage(), OptionalInt.of(statusWord), abort, timer, getCause());
  }

  public Result result() {
    return result;
  }

  public OptionalInt sw() {
    return sw;
  }

  public Optional<AbortReason> abort() {
    return abort;
  }

  public Optional<TimerName> timer() {
    return timer;
  }
}
