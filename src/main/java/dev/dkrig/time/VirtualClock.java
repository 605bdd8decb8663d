package dev.dkrig.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when someone sleeps or advances it: timers expire in virtual time. */
public final class VirtualClock implements RigClock {
  private final AtomicReference<Instant> now;

  public VirtualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant now() {
    return now.get();
  }

  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time does not run backwards");
    }
    now.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public boolean isReal() {
    return false;
  }
}
