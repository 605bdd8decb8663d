package dev.dkrig.transport.pn532;

import dev.dkrig.transport.TransportException;

/**
 * A named failure of a PN532 on a serial line. The message is one line a lab engineer can act on;
 * {@link #reason()} names it for reports and tests; the {@link TransportException.Kind} keeps the
 * contract's verdict rule (§18.18): a board that is silent or gone is the reader's fault ({@code
 * READER_GONE}, ERROR), a lost RF link is {@code TAG_LOST} (ERROR), a device that stays and does
 * not answer within T_Apdu is {@code TIMEOUT} (FAIL), and garbled frames are bench I/O ({@code
 * IO}).
 */
public final class Pn532Exception extends TransportException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, by name. */
  public enum Reason {
    /** The port does not exist or cannot be opened. */
    PORT_UNAVAILABLE(Kind.READER_GONE),
    /** No ACK within the ACK timeout: no board, no power, TX/RX swapped, not in HSU mode. */
    BOARD_SILENT(Kind.READER_GONE),
    /** The port failed or reached end of file (adapter unplugged, the pty's other end gone). */
    BOARD_GONE(Kind.READER_GONE),
    /** The board acknowledged a command of its own and then did not answer it in time. */
    NO_RESPONSE(Kind.READER_GONE),
    /** Frames kept arriving garbled: after a NACK the retransmission was bad too. */
    CORRUPT_FRAME(Kind.IO),
    /** The board asked twice for the command again (NACK): the line garbles what dkrig sends. */
    NACKED(Kind.IO),
    /** The board answered with the application error frame: it found the command malformed. */
    APPLICATION_ERROR(Kind.IO),
    /** A well-formed frame that is not what the protocol allows at this point. */
    UNEXPECTED_FRAME(Kind.IO),
    /** The board reported a chip or command error status. */
    PN532_ERROR(Kind.IO),
    /** The RF link to the device failed (InDataExchange status), or no target is activated. */
    TARGET_LOST(Kind.TAG_LOST),
    /** The device did not answer within T_Apdu while the board stayed responsive. */
    DEVICE_TIMEOUT(Kind.TIMEOUT),
    /** The calling thread was interrupted during an exchange. */
    INTERRUPTED(Kind.IO);

    private final Kind kind;

    Reason(Kind kind) {
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final Reason reason;

  public Pn532Exception(Reason reason, String message) {
    super(reason.kind(), message);
    this.reason = reason;
  }

  public Pn532Exception(Reason reason, String message, Throwable cause) {
    super(reason.kind(), message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
