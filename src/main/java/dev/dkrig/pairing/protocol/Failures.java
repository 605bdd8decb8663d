package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.CccException;
import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.transport.TransportException;
import java.util.Optional;

/**
 * The one mapping from what goes wrong below the vehicle (a {@link TransportException.Kind}, a
 * {@link CccException.Failure}) to a step's result and the abort it sends (§10.2, §18.18).
 */
public final class Failures {
  private Failures() {}

  /**
   * §18.18: a device that stays in the field and says nothing FAILs with abort {@code 05}; an
   * answer without a status word FAILs with {@code 00}; a lost tag or a broken bench is ERROR (no
   * abort: nothing can carry it).
   */
  public static StepFailure transport(TransportException e, String what) {
    return switch (e.kind()) {
      case TIMEOUT ->
          StepFailure.fail(
              what + ": " + e.getMessage() + " (the device stayed in the field but did not answer)",
              AbortReason.APDU_TIMEOUT);
      case BAD_RESPONSE -> StepFailure.fail(what + ": " + e.getMessage(), AbortReason.UNSPECIFIED);
      case TAG_LOST ->
          StepFailure.error(
              what + ": tag lost: the device left the field (" + e.getMessage() + ")", e);
      default -> StepFailure.error(what + ": " + e.kind().label() + ": " + e.getMessage(), e);
    };
  }

  /** A transport failure's result: FAIL when the device misbehaved, ERROR when the bench did. */
  public static Result resultOf(TransportException.Kind kind) {
    return linkUsableAfter(kind) ? Result.FAIL : Result.ERROR;
  }

  /** The abort a transport failure sends, if any (§18.18). */
  public static Optional<AbortReason> abortOf(TransportException.Kind kind) {
    return switch (kind) {
      case TIMEOUT -> Optional.of(AbortReason.APDU_TIMEOUT);
      case BAD_RESPONSE -> Optional.of(AbortReason.UNSPECIFIED);
      default -> Optional.empty();
    };
  }

  /** Whether the link can still carry an abort after this failure (not after a lost tag). */
  public static boolean linkUsableAfter(TransportException.Kind kind) {
    return kind == TransportException.Kind.TIMEOUT || kind == TransportException.Kind.BAD_RESPONSE;
  }

  /** Whether this failure is a lost tag, thrown directly or carried by a step failure. */
  public static boolean tagLost(Throwable failure) {
    Throwable cause = failure instanceof StepFailure ? failure.getCause() : failure;
    return cause instanceof TransportException t && t.kind() == TransportException.Kind.TAG_LOST;
  }

  /** The abort each protocol failure means (§10.2) when an exchange tells it apart. */
  public static AbortReason abortFor(CccException.Failure failure) {
    return switch (failure) {
      case INVALID_POINT -> AbortReason.INVALID_POINT;
      case EVIDENCE -> AbortReason.WRONG_DEVICE_EVIDENCE;
      case VERIFICATION -> AbortReason.VERIFICATION_FAILED;
      case MISMATCH -> AbortReason.WRONG_CONFIGURATION;
      default -> AbortReason.UNSPECIFIED;
    };
  }

  /**
   * A protocol failure of one exchange: {@code distinguished} gets its own abort ({@link
   * #abortFor}), any other failure the exchange's {@code otherwise}.
   */
  public static StepFailure ccc(
      String what, CccException e, CccException.Failure distinguished, AbortReason otherwise) {
    return StepFailure.fail(
        what + ": " + e.getMessage(),
        e.failure() == distinguished ? abortFor(distinguished) : otherwise);
  }

  /** A check that has one meaning whatever failed in it (a chain, a binding): its abort. */
  public static StepFailure ccc(CccException e, AbortReason abort) {
    return StepFailure.fail(e.getMessage(), abort);
  }
}
