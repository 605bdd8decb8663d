package dev.dkrig.dump;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.DecoratingTransport;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.time.Duration;

/** Writes every transport event of a run to its dump (a decorator, STYLE lesson 2). */
public final class RecordingTransport implements DecoratingTransport {
  private final NfcTransport inner;
  private final DumpWriter dump;
  private final RigClock clock;

  /** The recorded transport (to reach the reader underneath, e.g. for its LEDs). */
  @Override
  public NfcTransport inner() {
    return inner;
  }

  public RecordingTransport(NfcTransport inner, DumpWriter dump, RigClock clock) {
    this.inner = inner;
    this.dump = dump;
    this.clock = clock;
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    boolean found = inner.awaitTarget(wait);
    dump.target(clock.now(), found);
    return found;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    dump.command(clock.now(), command);
    try {
      ResponseApdu response = inner.transmit(command);
      dump.response(clock.now(), response);
      return response;
    } catch (TransportException e) {
      dump.failure(clock.now(), e);
      throw e;
    }
  }

  @Override
  public void reset() {
    inner.reset();
    dump.reset(clock.now());
  }
}
