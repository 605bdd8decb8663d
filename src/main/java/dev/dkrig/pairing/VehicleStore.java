package dev.dkrig.pairing;

import dev.dkrig.ccc.spake2.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the vehicle keeps between runs: its DK records and the SPAKE2+ attempt counter of §5.6
 * (§18.9). The pairing owns this interface and its failures; the state folder ({@code
 * state.StateStore}) implements it, so the steps know nothing of files, locks or JSON, and the
 * arrow runs from {@code state} to {@code pairing} only.
 */
public interface VehicleStore extends DkRepository {

  /** The attempts counted so far against this verifier (0 when none). */
  int attempts(Verifier verifier);

  /**
   * Reserves the next attempt durably, under the store's lock across threads and processes; empty
   * when {@code limit} attempts are already used (no VERIFY may go out then).
   */
  OptionalInt reserveAttempt(Verifier verifier, int limit, Instant at);

  /** Waits until every record saved behind the run is stored; throws {@link NotSaved} if not. */
  void flush();

  /** A stored file cannot be read or trusted (a damaged attempt file or record). */
  class Unusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unusable(String message) {
      super(message);
    }

    public Unusable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A record saved behind the run could not be written; {@code origin} is the step that made it.
   */
  class NotSaved extends UncheckedIOException {
    private static final long serialVersionUID = 1L;
    private final transient Object origin;

    public NotSaved(String message, Object origin, IOException cause) {
      super(message, cause);
      this.origin = origin;
    }

    public Optional<Object> origin() {
      return Optional.ofNullable(origin);
    }
  }
}
