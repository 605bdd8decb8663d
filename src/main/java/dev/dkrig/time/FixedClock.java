package dev.dkrig.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock that always reads the same instant, for test mode (§18.2: the device clock reads
 * 2026-11-27T12:00:00Z and the vehicle clock 12:01:00Z for the whole run). Sleeping is a no-op.
 */
public final class FixedClock implements RigClock {
  private final Instant instant;

  public FixedClock(Instant instant) {
    this.instant = instant;
  }

  @Override
  public Instant now() {
    return instant;
  }

  @Override
  public void sleep(Duration duration) {}

  @Override
  public boolean isReal() {
    return false;
  }
}
