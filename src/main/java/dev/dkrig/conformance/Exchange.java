package dev.dkrig.conformance;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import java.time.Duration;
import java.time.Instant;

/**
 * One APDU of a scenario run, the evidence behind its verdict.
 *
 * @param step the name of the step that sent it
 * @param substep inside a clean pairing, the catalogue step id ({@code P2.3}); else empty
 * @param response null when no answer came (tag lost, T_Apdu)
 */
public record Exchange(
    String step,
    String substep,
    CommandApdu command,
    ResponseApdu response,
    Instant sent,
    Instant received) {

  public Exchange {
    substep = substep == null ? "" : substep;
  }

  public Duration duration() {
    return Duration.between(sent, received);
  }
}
