package dev.dkrig.transport.pn532;

/**
 * Bytes on the serial line that are not a well-formed PN532 frame (notes §3, frame table). The
 * {@link Reason} names the first rule the bytes break, in the order a receiver checks them.
 */
public final class Pn532FrameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which frame rule was broken. */
  public enum Reason {
    /** The frame does not start with the preamble and start code {@code 00 00 FF}. */
    BAD_PREAMBLE("bad preamble"),
    /** Fewer bytes than the header (or LEN) says the frame has. */
    TRUNCATED("truncated frame"),
    /** {@code LEN + LCS} (or {@code LENm + LENl + LCS}) is not 0 modulo 256. */
    LENGTH_CHECKSUM("LEN/LCS mismatch"),
    /** A data frame with LEN 0, or an extended LEN beyond TFI + 264 bytes. */
    BAD_LENGTH("length out of range"),
    /** {@code TFI + PD0 + … + PDn + DCS} is not 0 modulo 256. */
    DATA_CHECKSUM("DCS mismatch"),
    /** The byte after DCS (or after an ACK/NACK) is not the postamble {@code 00}. */
    BAD_POSTAMBLE("bad postamble"),
    /** The TFI is not the sender's ({@code D4} from the host, {@code D5} from the board). */
    WRONG_TFI("wrong TFI"),
    /** More bytes than one frame. */
    TRAILING_BYTES("bytes after the postamble");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public Pn532FrameException(Reason reason, String detail) {
    super(reason.label() + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
