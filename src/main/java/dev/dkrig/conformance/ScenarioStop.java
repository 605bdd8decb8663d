package dev.dkrig.conformance;

import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.protocol.StepFailure;

/**
 * Ends a scenario run early: a conforming setup step was refused (FAIL: the device misbehaved
 * before the deviation could be made) or the bench failed (ERROR: inconclusive). The step that
 * threw it is recorded with this result and detail; the runner still cleans up.
 */
final class ScenarioStop extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Result result;

  private ScenarioStop(Result result, String detail, Throwable cause) {
    super(detail, cause);
    this.result = result;
  }

  static ScenarioStop fail(String detail) {
    return new ScenarioStop(Result.FAIL, detail, null);
  }

  static ScenarioStop error(String detail, Throwable cause) {
    return new ScenarioStop(Result.ERROR, detail, cause);
  }

  /** The kernel's failure as it stands: its result and its cause. */
  static ScenarioStop of(StepFailure failure) {
    return new ScenarioStop(failure.result(), failure.getMessage(), failure.getCause());
  }

  Result result() {
    return result;
  }
}
