package dev.dkrig.transport;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * An in-process "reader" with a {@link ContactlessCard} in its field: the embedded default bench.
 * Presence is a supplier, so tests can take the device away; a silent card costs T_Apdu on the
 * injected clock and then times out, as a real reader would; a card that answers later than T_Apdu
 * on that clock times out too, and a card that answers nothing because it left the field (presence
 * false) is a lost tag. The card runs on this thread, on the host's processors: an answer late
 * although the card's own processor time and its deliberate delay ({@link
 * ContactlessCard#heldBack}) fit T_Apdu was made late by the host (an overloaded host, e.g. {@code
 * --parallel} above the processors): {@link TransportException.Kind#HOST_OVERLOADED}, ERROR, not a
 * timeout of the device.
 */
public final class VirtualNfcTransport implements NfcTransport {
  private static final Duration POLL_STEP = Duration.ofMillis(100);

  private final ContactlessCard card;
  private final BooleanSupplier present;
  private final RigClock clock;
  private final Duration apduTimeout;
  private final LongSupplier processorTime;
  private boolean polling;
  private boolean active;

  public VirtualNfcTransport(
      ContactlessCard card, BooleanSupplier present, RigClock clock, Duration apduTimeout) {
    this(card, present, clock, apduTimeout, ThreadProcessorTime::ofCurrentThread);
  }

  /**
   * @param processorTime the processor time the calling thread has used so far (ns; -1 when
   *     unknown): the device's own share of a late answer, the card running on this thread
   */
  public VirtualNfcTransport(
      ContactlessCard card,
      BooleanSupplier present,
      RigClock clock,
      Duration apduTimeout,
      LongSupplier processorTime) {
    this.card = card;
    this.present = present;
    this.clock = clock;
    this.apduTimeout = apduTimeout;
    this.processorTime = processorTime;
  }

  @Override
  public String description() {
    return "virtual reader (in-process virtual device)";
  }

  @Override
  public void startPolling() {
    polling = true;
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    if (active) {
      return true;
    }
    Duration waited = Duration.ZERO;
    while (true) {
      if (present.getAsBoolean()) {
        card.activate();
        active = true;
        return true;
      }
      if (waited.compareTo(wait) >= 0) {
        return false;
      }
      Duration step = POLL_STEP.compareTo(wait.minus(waited)) < 0 ? POLL_STEP : wait.minus(waited);
      clock.sleep(step);
      waited = waited.plus(step);
    }
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    return transmitRaw(command.bytes());
  }

  /** The virtual device receives the bytes as they are and judges them itself (§3.2). */
  @Override
  public ResponseApdu transmitRaw(byte[] apdu) {
    if (!active || !present.getAsBoolean()) {
      active = false;
      throw new TransportException(
          TransportException.Kind.TAG_LOST, "tag lost: no device in the field");
    }
    Instant sent = clock.now();
    // Only a clock that runs by itself counts the host's time; a virtual one moves on sleeps.
    long usedBefore = clock.isReal() ? processorTime.getAsLong() : -1;
    byte[] response = card.process(apdu);
    if (response == null && !present.getAsBoolean()) {
      // The device left the field instead of answering (§18.18): a lost tag, not a silent card.
      active = false;
      throw new TransportException(
          TransportException.Kind.TAG_LOST, "tag lost: the device left the field");
    }
    Duration took = Duration.between(sent, clock.now());
    if (response != null && took.compareTo(apduTimeout) > 0) {
      Optional<Duration> own = ownShare(usedBefore);
      if (own.isPresent() && own.get().compareTo(apduTimeout) <= 0) {
        // The device runs on the host's processors: its own work and its deliberate delay fit
        // T_Apdu, so the host kept it waiting for the rest. The bench could not keep time (ERROR);
        // the device did nothing wrong (no FAIL, no abort).
        throw new TransportException(
            TransportException.Kind.HOST_OVERLOADED,
            "the in-process virtual device answered after "
                + took.toMillis()
                + " ms, past T_Apdu ("
                + apduTimeout.toMillis()
                + " ms), from "
                + own.get().toMillis()
                + " ms of its own: the host kept it waiting for the rest (an overloaded host)");
      }
      // §13 T_Apdu, as PcscTransport judges it: a response after the limit is a timeout.
      throw new TransportException(
          TransportException.Kind.TIMEOUT,
          "no response within T_Apdu (" + apduTimeout.toMillis() + " ms)");
    }
    if (response == null) {
      try {
        clock.sleep(apduTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new TransportException(
          TransportException.Kind.TIMEOUT,
          "no response within T_Apdu (" + apduTimeout.toMillis() + " ms)");
    }
    return NfcTransport.response(response);
  }

  /**
   * What the last answer cost the device itself: the processor time this thread used for it and the
   * delay the card added on purpose. Empty when either is unknown.
   */
  private Optional<Duration> ownShare(long usedBefore) {
    if (usedBefore < 0) {
      return Optional.empty();
    }
    long usedAfter = processorTime.getAsLong();
    Optional<Duration> held = card.heldBack();
    if (usedAfter < usedBefore || held.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(usedAfter - usedBefore).plus(held.get()));
  }

  @Override
  public void reset() {
    if (active) {
      card.deactivate();
    }
    active = false;
  }

  @Override
  public void stopPolling() {
    polling = false;
  }

  public boolean polling() {
    return polling;
  }

  @Override
  public void close() {
    reset();
    polling = false;
  }
}
