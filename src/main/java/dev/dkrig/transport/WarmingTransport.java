package dev.dkrig.transport;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Issue 20: while the reader polls in vain for the first device, a background warm-up runs; the
 * moment a device is there it is told to stop, before the first APDU goes out. A decorator (STYLE
 * lesson 2), so every transport gets it and none knows of it.
 */
public final class WarmingTransport implements DecoratingTransport {
  /** The background work: started when polling waits, stopped when a device arrives. */
  public interface Warmer {
    /** Starts or resumes the work on its own thread; returns at once. Idempotent. */
    void start();

    /** Stops the work at its next slice boundary; returns at once. Idempotent and final. */
    void stop();

    /** Whether it was started (a single pairing's starts at launch). */
    default boolean started() {
      return false;
    }
  }

  /** No warm-up ({@code DKRIG_WARMUP=off}): only the measurement note remains. */
  public static final Warmer OFF =
      new Warmer() {
        @Override
        public void start() {}

        @Override
        public void stop() {}
      };

  private final NfcTransport inner;
  private final Warmer warmer;
  private final Consumer<String> notes;
  private boolean deviceSeen;
  private boolean polledInVain;
  private long foundAtNanos;
  private boolean firstApduNoted;

  private WarmingTransport(NfcTransport inner, Warmer warmer, Consumer<String> notes) {
    this.inner = inner;
    this.warmer = warmer;
    this.notes = notes;
  }

  @Override
  public NfcTransport inner() {
    return inner;
  }

  public static NfcTransport wrap(NfcTransport inner, Warmer warmer) {
    return new WarmingTransport(inner, warmer, text -> {});
  }

  /**
   * With a bench note, once, giving the time from the first device's activation to the first APDU
   * (the warm-up must not lengthen it; {@code bench/cold-pairing} reads it).
   */
  public static NfcTransport wrap(NfcTransport inner, Warmer warmer, Consumer<String> notes) {
    return new WarmingTransport(inner, warmer, notes);
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    if (deviceSeen) {
      return inner.awaitTarget(wait);
    }
    if (polledInVain) {
      // A car that waits warms up (a single pairing's warm-up runs from launch already).
      warmer.start();
    }
    boolean found;
    try {
      found = inner.awaitTarget(wait);
    } catch (RuntimeException | InterruptedException e) {
      warmer.stop();
      throw e;
    }
    if (found) {
      deviceSeen = true;
      warmer.stop();
      foundAtNanos = System.nanoTime();
    } else {
      polledInVain = true;
    }
    return found;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    if (!deviceSeen) {
      deviceSeen = true;
      warmer.stop();
    }
    if (!firstApduNoted && foundAtNanos != 0) {
      firstApduNoted = true;
      notes.accept(
          String.format(
              Locale.ROOT,
              "first device activated %.3f ms before the first APDU (warm-up %s)",
              (System.nanoTime() - foundAtNanos) / 1e6,
              warmer == OFF
                  ? "off"
                  : polledInVain
                      ? "ran while the reader waited"
                      : warmer.started() ? "ran from launch to the first poll" : "not needed"));
    }
    return inner.transmit(command);
  }

  @Override
  public void stopPolling() {
    warmer.stop();
    inner.stopPolling();
  }

  @Override
  public void close() {
    warmer.stop();
    inner.close();
  }

  @Override
  public String toString() {
    return inner.toString();
  }
}
