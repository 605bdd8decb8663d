package dev.dkrig.report;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.DecoratingTransport;
import dev.dkrig.transport.NfcTransport;
import java.time.Instant;

/**
 * The evidence decorator (STYLE lesson 2, apdu4j's {@code LoggingBIBO.wrap}): every exchange and
 * NFC reset that passes through it is timed on the run's clock and handed to the {@link
 * RunContext}, whose writers (trace, pcapng, APDU log) put it down under the current step. Wrapped
 * outermost, it sees what the vehicle sent and what came back to it, after fault injection and the
 * warm-up, exactly as the vehicle does; the pairing and the suite share it.
 */
public final class EvidenceTransport implements DecoratingTransport {
  private final NfcTransport inner;
  private final RunContext context;
  private final RigClock clock;

  private EvidenceTransport(NfcTransport inner, RunContext context, RigClock clock) {
    this.inner = inner;
    this.context = context;
    this.clock = clock;
  }

  public static EvidenceTransport wrap(NfcTransport inner, RunContext context, RigClock clock) {
    return new EvidenceTransport(inner, context, clock);
  }

  /** The transport under the evidence. */
  @Override
  public NfcTransport inner() {
    return inner;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    Instant sent = clock.now();
    ResponseApdu response = null;
    try {
      response = inner.transmit(command);
      return response;
    } finally {
      context.wired(command, null, response, sent, clock.now());
    }
  }

  @Override
  public ResponseApdu transmitRaw(byte[] apdu) {
    byte[] sentBytes = apdu.clone();
    Instant sent = clock.now();
    ResponseApdu response = null;
    try {
      response = inner.transmitRaw(apdu);
      return response;
    } finally {
      context.wired(null, sentBytes, response, sent, clock.now());
    }
  }

  @Override
  public void reset() {
    inner.reset();
    context.fieldReset(clock.now());
  }
}
