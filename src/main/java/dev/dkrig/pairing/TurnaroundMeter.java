package dev.dkrig.pairing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rig's own latency (issue 10): from a response's arrival to the next command's departure, less
 * the deliberate waits in between (status-poll and phase-4 intervals, NFC resets, polling for the
 * device). What is left is the vehicle's computing and the listeners' writing: the time the rig
 * adds to every exchange. Measured on the run's clock; not thread-safe (one run, one thread).
 */
final class TurnaroundMeter {
  private Instant lastResponse;
  private Duration excluded = Duration.ZERO;

  /** A command is about to leave: the host time since the last response, if there was one. */
  Optional<Duration> beforeSend(Instant sent) {
    if (lastResponse == null) {
      return Optional.empty();
    }
    Duration host = Duration.between(lastResponse, sent).minus(excluded);
    return Optional.of(host.isNegative() ? Duration.ZERO : host);
  }

  /** The exchange ended: a response arrived, or none did (nothing to measure from). */
  void exchanged(Instant at, boolean answered) {
    lastResponse = answered ? at : null;
    excluded = Duration.ZERO;
  }

  /** Time spent waiting on purpose (a timer, the field, the device's presence): not the rig's. */
  void excluded(Instant from, Instant to) {
    if (lastResponse != null && to.isAfter(from)) {
      excluded = excluded.plus(Duration.between(from, to));
    }
  }
}
