package dev.dkrig.time;

import java.time.Duration;
import java.time.Instant;

/** Wall-clock time with millisecond instants, as reports carry (§2). */
final class SystemRigClock implements RigClock {
  static final SystemRigClock INSTANCE = new SystemRigClock();

  private SystemRigClock() {}

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isNegative() && !duration.isZero()) {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  }
}
