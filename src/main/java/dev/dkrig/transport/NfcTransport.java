package dev.dkrig.transport;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import java.time.Duration;

/**
 * What the wireless charging pad's NFC reader does for the vehicle (STYLE lesson 1: one small
 * interface; PC/SC, PN532, the in-process virtual device and replay implement it, decorators wrap
 * it). The vehicle sends every APDU itself (§3.2): no implementation sends GET RESPONSE or re-sends
 * on {@code 6Cxx} behind the caller's back.
 */
public interface NfcTransport extends AutoCloseable {

  /** The reader as a person would name it, for reports. */
  String description();

  /**
   * Starts owner-pairing polling (P1.6.1).
   *
   * @throws TransportException when the reader is unavailable
   */
  void startPolling();

  /**
   * Polls until a device is in the field and activated (ISO 14443-4), or the wait ends.
   *
   * @return true when a target is ready for APDUs
   */
  boolean awaitTarget(Duration wait) throws InterruptedException;

  /**
   * Exchanges one APDU with the activated target.
   *
   * @throws TransportException TAG_LOST, TIMEOUT (after T_Apdu), READER_GONE, SERVICE_DOWN, IO
   */
  ResponseApdu transmit(CommandApdu command);

  /**
   * Sends bytes exactly as given, well formed or not ({@code dkrig apdu --raw}: a wrong Lc or an
   * extended length, to see the device's {@code 6700}, §3.2). A transport that can carry only
   * well-formed short APDUs refuses anything else.
   *
   * @throws TransportException as {@link #transmit}, or IO for bytes this transport cannot carry
   */
  default ResponseApdu transmitRaw(byte[] apdu) {
    CommandApdu command;
    try {
      command = CommandApdu.parse(apdu);
    } catch (Iso7816Exception e) {
      throw new TransportException(
          TransportException.Kind.IO,
          description() + " carries only well-formed short APDUs: " + e.getMessage(),
          e);
    }
    return transmit(command);
  }

  /**
   * NFC reset (§3.2): deactivate the target (DESELECT where possible) and turn the field off for at
   * least 10 ms; the next {@link #awaitTarget} polls again.
   */
  void reset();

  /** Stops owner-pairing polling; harmless when not polling. */
  void stopPolling();

  /** Stops polling and releases the reader. Never throws. */
  @Override
  void close();

  /**
   * The R-APDU a reader handed back, for {@link #transmit}: an answer without a status word is the
   * device's fault, not the bench's (§18.18), so it is {@code BAD_RESPONSE}.
   *
   * @throws TransportException BAD_RESPONSE for fewer than two bytes
   */
  static ResponseApdu response(byte[] bytes) {
    try {
      return ResponseApdu.parse(bytes);
    } catch (Iso7816Exception e) {
      throw new TransportException(
          TransportException.Kind.BAD_RESPONSE,
          "response of " + bytes.length + " byte(s) without a status word",
          e);
    }
  }
}
