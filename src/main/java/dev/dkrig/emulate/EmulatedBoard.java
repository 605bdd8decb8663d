package dev.dkrig.emulate;

import java.time.Duration;

/**
 * An emulated PN532 board serving a serial line ({@link Pn532Emulator}, {@link
 * Pn532TargetEmulator}): what {@code dkrig emulate} needs to serve one until a signal or a failed
 * line.
 */
public interface EmulatedBoard extends AutoCloseable {
  /**
   * @return whether it stopped within {@code wait} (closed, vanished, or its port failed)
   */
  boolean awaitStop(Duration wait) throws InterruptedException;

  /** Why it stopped: empty while it runs or after {@link #close()}. */
  String stopReason();

  /** Stops serving and closes the port. Never throws. */
  @Override
  void close();
}
