package dev.dkrig.device;

/**
 * Something that answers APDUs while it is in a reader's field: the virtual device, or a test
 * double. It sees raw bytes only, as a phone does behind its NFC controller.
 *
 * <p>The card side lives with the device, which imports nothing of {@code transport}: the
 * in-process reader ({@code transport.VirtualNfcTransport}) and the emulators ({@code
 * dev.dkrig.emulate}) adapt a card to a reader, so the arrow runs from them to here.
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
}
