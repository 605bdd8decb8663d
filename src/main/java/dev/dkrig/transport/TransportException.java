package dev.dkrig.transport;

/**
 * The bench could not carry an exchange. The {@link Kind} keeps the contract's distinction
 * (§18.18): a device that left the field is inconclusive (ERROR), a device that stays and does not
 * answer within T_Apdu misbehaved (FAIL).
 */
public class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, by name. */
  public enum Kind {
    /** The device left the field, the RF link was lost, or the card was removed. */
    TAG_LOST("tag lost"),
    /** The device stayed in the field and did not answer within T_Apdu. */
    TIMEOUT("no response within T_Apdu"),
    /** The reader disappeared (unplugged, driver gone). */
    READER_GONE("reader gone"),
    /** The smart-card service (pcscd) or the D-Bus/serial service is not running. */
    SERVICE_DOWN("service unavailable"),
    /** The device answered with fewer than two bytes: a device fault, not a bench fault. */
    BAD_RESPONSE("response without a status word"),
    /**
     * The in-process virtual device answered after T_Apdu although its own work fitted T_Apdu: the
     * host kept it waiting for a processor (an overloaded host, e.g. {@code --parallel} above the
     * processors). The bench could not keep time, so ERROR, not the device's FAIL.
     */
    HOST_OVERLOADED("host overloaded"),
    /** Any other I/O failure of the bench. */
    IO("bench I/O error");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Kind kind;

  public TransportException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
