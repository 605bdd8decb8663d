package dev.dkrig.iso7816;

import java.time.Duration;
import java.util.Optional;

/**
 * Something that answers APDUs while it is in a reader's field: the virtual device, or a test
 * double. It sees raw bytes only, as a phone does behind its NFC controller.
 *
 * <p>It lives here, below both the device that implements it and the transports that carry it
 * ({@code transport.VirtualNfcTransport}, the emulators of {@code dev.dkrig.emulate}), so neither
 * of those two imports the other.
 */
public interface ContactlessCard {

  /** Field on and ISO-DEP activation. */
  void activate();

  /**
   * Processes one command APDU.
   *
   * @return the response bytes (data ‖ SW), or {@code null} when the card stays silent
   */
  byte[] process(byte[] command);

  /** ISO-DEP deactivation or field off (§3.2 NFC reset). */
  void deactivate();

  /**
   * How long the card held its last answer back on purpose (a simulated slow device), when it
   * tells: with the processor time it spent, what that answer costs on a host with a processor
   * free. Empty when it does not tell; the virtual device tells.
   */
  default Optional<Duration> heldBack() {
    return Optional.empty();
  }
}
