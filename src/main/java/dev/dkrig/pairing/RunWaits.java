package dev.dkrig.pairing;

import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The run's timers and waits (§13): the run-wide timers (T_OwnerPairing, T_PairingModeTimeout) are
 * checked before every APDU and at every deadline inside a wait; polls for a target never outlast
 * them, and the operator is told what to do when none answers within a second.
 */
public final class RunWaits {
  private static final List<TimerName> RUN_TIMERS =
      List.of(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout);

  private final VehicleLink link;
  private final Timers timers;
  private final RigClock clock;
  private final RunListener listener;
  private final StepRecorder recorder;
  private Instant waitingSince;

  RunWaits(
      VehicleLink link,
      Timers timers,
      RigClock clock,
      RunListener listener,
      StepRecorder recorder) {
    this.link = link;
    this.timers = timers;
    this.clock = clock;
    this.listener = listener;
    this.recorder = recorder;
  }

  /** The run's timers (started and stopped by the steps that own them). */
  public Timers timers() {
    return timers;
  }

  /**
   * Throws when the operator interrupted the run, or when T_OwnerPairing or T_PairingModeTimeout
   * has expired (§13).
   */
  public void checkRunTimers() {
    checkRunTimers(timers);
  }

  static void checkRunTimers(Timers timers) {
    if (Thread.currentThread().isInterrupted()) {
      throw new OperatorInterrupt();
    }
    timers
        .firstExpired(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout)
        .ifPresent(
            timer -> {
              throw new TimerExpired(timer);
            });
  }

  /** Waits, waking at every run-timer deadline to check it. */
  public void waitFor(Duration duration) throws InterruptedException {
    Instant start = clock.now();
    try {
      waitUntil(start.plus(duration));
    } finally {
      link.waited(start, clock.now());
    }
  }

  private void waitUntil(Instant end) throws InterruptedException {
    while (clock.now().isBefore(end)) {
      checkRunTimers();
      Instant wake = end;
      for (TimerName t : RUN_TIMERS) {
        Optional<Instant> deadline = timers.deadline(t);
        if (deadline.isPresent() && deadline.get().isBefore(wake)) {
          wake = deadline.get();
        }
      }
      clock.sleep(Duration.between(clock.now(), wake));
    }
    checkRunTimers();
  }

  /**
   * Polls for a target; when none answers within a second, tells the operator what to do until the
   * deadline of the wait ({@code bound}).
   */
  public boolean awaitTarget(Duration wait, String instruction, TimerName bound)
      throws InterruptedException {
    boolean found = awaitTarget(wait);
    if (found) {
      if (waitingSince != null) {
        waitingSince = null;
        listener.waitingOver();
      }
      return true;
    }
    if (waitingSince == null) {
      waitingSince = clock.now();
    }
    if (Duration.between(waitingSince, clock.now()).compareTo(VehicleSession.PROMPT_AFTER) >= 0) {
      listener.waiting(recorder.current(), instruction, timers.deadline(bound).orElse(clock.now()));
    }
    return false;
  }

  /** Polls for a target, never past the next run-timer deadline. */
  private boolean awaitTarget(Duration wait) throws InterruptedException {
    Duration slice = min(wait, VehicleSession.POLL_SLICE);
    for (TimerName t : RUN_TIMERS) {
      Optional<Duration> left = timers.remaining(t);
      if (left.isPresent()) {
        slice = min(slice, left.get());
      }
    }
    if (slice.isZero() || slice.isNegative()) {
      checkRunTimers();
      slice = Duration.ofMillis(1);
    }
    boolean found = link.poll(slice);
    checkRunTimers();
    return found;
  }

  /** What is left of a running timer; a poll slice when it is not running. */
  public Duration remaining(TimerName timer) {
    return timers.remaining(timer).orElse(VehicleSession.POLL_SLICE);
  }

  /** Whether a step's own timer has expired. */
  public boolean expired(TimerName timer) {
    return timers.expired(timer);
  }

  /** The configured value of a timer. */
  public Duration value(TimerName timer) {
    return timers.value(timer);
  }

  public static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
