package dev.dkrig.pairing;

import java.util.Collection;

/**
 * The run verdict of §2: ERROR if any gating step is ERROR, else FAIL if any is FAIL, else PASS.
 */
public enum Verdict {
  PASS,
  FAIL,
  ERROR;

  public static Verdict of(Collection<StepResult> results) {
    boolean failed = false;
    for (StepResult r : results) {
      if (!r.step().gating()) {
        continue;
      }
      if (r.result() == Result.ERROR) {
        return ERROR;
      }
      failed |= r.result() == Result.FAIL;
    }
    return failed ? FAIL : PASS;
  }
}
