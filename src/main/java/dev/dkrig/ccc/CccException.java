package dev.dkrig.ccc;

import dev.dkrig.iso7816.Iso7816Exception;

/**
 * A protocol check failed. The {@link Failure} tells the caller which contract rule broke, so the
 * pairing flow can pick the step result and abort code without parsing messages.
 */
public class CccException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of rule was broken. */
  public enum Failure {
    /** Bytes that do not follow the expected encoding (TLV, APDU, DER, lengths). */
    MALFORMED,
    /** A P-256 point that fails §5.3. */
    INVALID_POINT,
    /** A C-MAC, R-MAC or padding check of §6 failed. */
    SECURE_MESSAGING,
    /** SPAKE2+ evidence (M1 or M2) did not match. */
    EVIDENCE,
    /** An ECDSA signature, certificate or chain check failed (§8.5, §11.6, §12.4). */
    VERIFICATION,
    /** Values that parse but do not match what was expected (§8.6, §12.4 step 5-6). */
    MISMATCH,
    /** A value outside the contract's limits (counter overflow, sizes). */
    LIMIT
  }

  private final Failure failure;

  public CccException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public CccException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  public static CccException malformed(String message) {
    return new CccException(Failure.MALFORMED, message);
  }

  /**
   * An ISO 7816 encoding failure met while decoding a CCC message: MALFORMED with the same message,
   * so the callers' step results and abort codes do not depend on which layer found the fault. Each
   * codec that parses APDUs or TLVs translates at its own entry point; nothing above {@code ccc}
   * needs to know {@link Iso7816Exception}.
   */
  public static CccException malformed(Iso7816Exception e) {
    return new CccException(Failure.MALFORMED, e.getMessage(), e);
  }
}
