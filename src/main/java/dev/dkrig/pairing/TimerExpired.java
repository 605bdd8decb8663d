package dev.dkrig.pairing;

import dev.dkrig.time.TimerName;

/**
 * A run-wide timer (T_PairingModeTimeout, T_OwnerPairing) expired in the middle of a step (§13).
 */
final class TimerExpired extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TimerName timer;

  TimerExpired(TimerName timer) {
    super(timer + " expired", null, false, false);
    this.timer = timer;
  }

  TimerName timer() {
    return timer;
  }
}
