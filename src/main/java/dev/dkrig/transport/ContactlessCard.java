package dev.dkrig.transport;

/**
 * Something that answers APDUs while it is in a reader's field: the virtual device, or a test
 * double. It sees raw bytes only, as a phone does behind its NFC controller.
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
