package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pn532.Pn532Status;

/**
 * A named ACR122U failure. The message is one line a lab engineer can act on; {@link #reason()}
 * names it for reports and tests. The {@link TransportException.Kind} keeps the contract's verdict
 * rule (§18.18): bench faults are {@code IO} (ERROR); a lost RF link is {@code TAG_LOST}.
 */
public final class Acr122uException extends TransportException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, by name. */
  public enum Reason {
    /** {@code SCardControl} was refused or failed: usually libccid without the option. */
    ESCAPE_FAILED(Kind.IO),
    /** The reader's name or firmware text does not say ACR122. */
    NOT_AN_ACR122U(Kind.IO),
    /** The firmware answer could not be read as {@code ACR122U<digit><digit><digit>}. */
    FIRMWARE_UNREADABLE(Kind.IO),
    /** Firmware below 2.00. */
    FIRMWARE_TOO_OLD(Kind.IO),
    /** {@code 63 00}: the reader reports that the operation failed. */
    OPERATION_FAILED(Kind.IO),
    /** {@code 63 01}: the PN532 did not answer the MCU. */
    PN532_NO_RESPONSE(Kind.IO),
    /** {@code 63 27}: checksum error between MCU and PN532. */
    PN532_CHECKSUM(Kind.IO),
    /** {@code 63 7F}: the PN532 rejected the command as malformed. */
    PN532_BAD_COMMAND(Kind.IO),
    /** Any other answer that is not what the command expects. */
    UNEXPECTED_RESPONSE(Kind.IO),
    /** The PN532 reported an RF-level error: the link to the phone failed. */
    RF_LINK_FAILED(Kind.TAG_LOST),
    /** The PN532 reported a chip or command error (InDataExchange / InCommunicateThru status). */
    PN532_ERROR(Kind.IO);

    private final Kind kind;

    Reason(Kind kind) {
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final Reason reason;

  public Acr122uException(Reason reason, String message) {
    super(reason.kind(), message);
    this.reason = reason;
  }

  public Acr122uException(Reason reason, String message, Throwable cause) {
    super(reason.kind(), message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /**
   * The error for a {@code 63 xx} answer of a pseudo-APDU (notes §2.2, Direct Transmit errors).
   *
   * @param what the command, for the message ({@code "InListPassiveTarget"})
   */
  static Acr122uException forStatus(int sw, String what) {
    return switch (sw) {
      case 0x6300 ->
          new Acr122uException(
              Reason.OPERATION_FAILED, what + ": the ACR122U reports 63 00 (operation failed)");
      case 0x6301 ->
          new Acr122uException(
              Reason.PN532_NO_RESPONSE,
              what + ": 63 01, the PN532 inside the ACR122U did not answer; unplug and re-plug");
      case 0x6327 ->
          new Acr122uException(
              Reason.PN532_CHECKSUM,
              what + ": 63 27, checksum error between the ACR122U's controller and its PN532");
      case 0x637F ->
          new Acr122uException(
              Reason.PN532_BAD_COMMAND,
              what + ": 63 7F, the PN532 rejected the command as malformed");
      default ->
          new Acr122uException(
              Reason.UNEXPECTED_RESPONSE, what + ": unexpected status " + Hex.u16(sw));
    };
  }

  /**
   * The named error for a failed PN532 status: {@code RF_LINK_FAILED} (TAG_LOST) for RF errors,
   * {@code PN532_ERROR} (IO) otherwise.
   *
   * @param status the InDataExchange or InCommunicateThru status byte
   * @param what the command, for the message
   */
  static Acr122uException forPn532Status(Pn532Status status, String what) {
    if (status.isRfError()) {
      return new Acr122uException(
          Acr122uException.Reason.RF_LINK_FAILED,
          what
              + ": PN532 status "
              + status.describe()
              + "; the phone may have left or moved on the pad");
    }
    return new Acr122uException(
        Acr122uException.Reason.PN532_ERROR, what + ": PN532 status " + status.describe());
  }
}
