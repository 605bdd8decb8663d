package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.AbortReason;

/**
 * Status-word checks, one line each: anything but {@code 9000} is a FAIL naming the status word
 * ({@code SPAKE2+ VERIFY: 6A88 (...)}) with the abort the exchange sends.
 */
public final class Checks {
  private Checks() {}

  /** The response when it is {@code 9000}; otherwise a FAIL {@code what: SW (meaning)}. */
  public static ResponseApdu check(ResponseApdu response, String what, AbortReason abort) {
    return check(response, what, "", abort);
  }

  /** As {@link #check(ResponseApdu, String, AbortReason)}, the cause followed by {@code hint}. */
  public static ResponseApdu check(
      ResponseApdu response, String what, String hint, AbortReason abort) {
    if (response.sw() != StatusWord.SUCCESS) {
      throw StepFailure.fail(
          what + ": " + StatusWord.describe(response.sw()) + hint, response.sw(), abort);
    }
    return response;
  }

  /**
   * The answer to a case-1 command (OP CONTROL FLOW, CONTROL FLOW) is {@code 90 00} alone (§3.3,
   * §3.4): data with it makes the answer malformed (abort {@code 00}, §10.2), as a stale or
   * replayed answer would be.
   */
  public static void requireBareSuccess(ResponseApdu response, String what, String consequence) {
    check(response, what, consequence, AbortReason.UNSPECIFIED);
    if (response.data().length > 0) {
      throw StepFailure.fail(
          what
              + ": 9000 with "
              + response.data().length
              + " data byte(s); the answer is 90 00 alone (§3.3)"
              + consequence,
          response.sw(),
          AbortReason.UNSPECIFIED);
    }
  }
}
