package dev.dkrig.dump;

import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;

/**
 * The protocol clock of a recorded run (5F5A time, certificate validity): each read goes into the
 * dump, so a replay reads the same instants.
 */
public final class RecordingClock implements RigClock {
  private final RigClock inner;
  private final RigClock runClock;
  private final DumpWriter dump;

  public RecordingClock(RigClock inner, RigClock runClock, DumpWriter dump) {
    this.inner = inner;
    this.runClock = runClock;
    this.dump = dump;
  }

  @Override
  public Instant now() {
    Instant value = inner.now();
    dump.clockRead(runClock.now(), value);
    return value;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    inner.sleep(duration);
  }

  @Override
  public boolean isReal() {
    return inner.isReal();
  }
}
