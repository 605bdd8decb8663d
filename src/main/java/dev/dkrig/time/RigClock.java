package dev.dkrig.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The rig's notion of time, injected everywhere (engineering rules): the system clock on a bench, a
 * virtual clock in tests, so timer expiries run in virtual time.
 */
public interface RigClock {
  Instant now();

  /** Waits; a virtual clock advances instead. */
  void sleep(Duration duration) throws InterruptedException;

  /** Whether time passes on its own (false for a virtual clock that moves only on sleep). */
  default boolean isReal() {
    return true;
  }

  static RigClock system() {
    return SystemRigClock.INSTANCE;
  }
}
