package dev.dkrig.time;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The running protocol timers of one pairing (§13): started and stopped by the flow, checked at
 * every step boundary, APDU and wait, on the injected clock.
 */
public final class Timers {
  private final RigClock clock;
  private final Map<TimerName, Duration> values;
  private final Map<TimerName, Instant> deadlines = new EnumMap<>(TimerName.class);

  public Timers(RigClock clock, Map<TimerName, Duration> values) {
    this.clock = clock;
    this.values = new EnumMap<>(TimerName.class);
    for (TimerName name : TimerName.values()) {
      this.values.put(name, values.getOrDefault(name, name.defaultValue()));
    }
  }

  public Duration value(TimerName name) {
    return values.get(name);
  }

  public void start(TimerName name) {
    deadlines.put(name, clock.now().plus(values.get(name)));
  }

  public void stop(TimerName name) {
    deadlines.remove(name);
  }

  public boolean running(TimerName name) {
    return deadlines.containsKey(name);
  }

  public Optional<Instant> deadline(TimerName name) {
    return Optional.ofNullable(deadlines.get(name));
  }

  public boolean expired(TimerName name) {
    Instant deadline = deadlines.get(name);
    return deadline != null && !clock.now().isBefore(deadline);
  }

  /** The running timer that expired first, if any. */
  public Optional<TimerName> firstExpired(TimerName... among) {
    TimerName first = null;
    Instant now = clock.now();
    for (TimerName name : among) {
      Instant deadline = deadlines.get(name);
      if (deadline != null && !now.isBefore(deadline)) {
        if (first == null || deadline.isBefore(deadlines.get(first))) {
          first = name;
        }
      }
    }
    return Optional.ofNullable(first);
  }

  /** Time left on a running timer (zero when expired, absent when not running). */
  public Optional<Duration> remaining(TimerName name) {
    Instant deadline = deadlines.get(name);
    if (deadline == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.now(), deadline);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }
}
