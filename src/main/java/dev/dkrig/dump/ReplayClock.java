package dev.dkrig.dump;

import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The recorded protocol-clock reads, in order; after the last one, the run clock. */
final class ReplayClock implements RigClock {
  private final Deque<Instant> reads;
  private final RigClock fallback;

  ReplayClock(List<Instant> reads, RigClock fallback) {
    this.reads = new ArrayDeque<>(reads);
    this.fallback = fallback;
  }

  @Override
  public Instant now() {
    Instant value = reads.poll();
    return value != null ? value : fallback.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    fallback.sleep(duration);
  }

  @Override
  public boolean isReal() {
    return false;
  }
}
