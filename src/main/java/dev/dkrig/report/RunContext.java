package dev.dkrig.report;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The run as the evidence on the wire sees it (STYLE lesson 2): which step is current, and who
 * writes each exchange down. {@link EvidenceTransport} reports what crossed the reader here; the
 * writers ({@link TraceLog}, {@link PcapngCapture}, {@link ApduLog}) {@link #listen} here.
 *
 * <p>Three ways to learn the step, one per kind of run:
 *
 * <ul>
 *   <li>{@link #named()}: the caller names the step before it sends ({@link #step}); the
 *       conformance suite does.
 *   <li>{@link #forPairing()}: the pairing names the step of each exchange right after it, in
 *       {@link RunListener#exchange}; the exchange waits in here until {@link #pairingSteps()}
 *       hears that name, so the trace lines come exactly where the pairing's own listeners put them
 *       (between its turnaround and its response plaintext).
 *   <li>{@link #fedByListener()}: no decorated transport at all ({@code dkrig apdu} sends and tells
 *       its listener); {@link #pairingSteps()} passes the listener's exchanges on.
 * </ul>
 */
public final class RunContext {

  /**
   * The step an exchange belongs to: its id as traces show it ({@code P2.3}, a suite step's
   * number), and the catalogue step when a pairing sent it.
   *
   * @param step null outside a pairing
   */
  public record Label(String id, Step step) {
    /** No step (a bare {@code dkrig apdu} exchange). */
    public static final Label NONE = new Label("", null);

    public static Label of(Step step) {
      return step == null ? NONE : new Label(step.id(), step);
    }

    public static Label of(String id) {
      return new Label(id, null);
    }
  }

  private enum Source {
    NAMED,
    PAIRING,
    LISTENER
  }

  private record Wired(
      CommandApdu command, byte[] raw, ResponseApdu response, Instant sent, Instant received) {}

  private final Source source;
  private final List<WireListener> listeners = new CopyOnWriteArrayList<>();
  private Label current = Label.NONE;
  private Wired pending;

  private RunContext(Source source) {
    this.source = source;
  }

  /** The caller names each step with {@link #step} before it sends (the suite). */
  public static RunContext named() {
    return new RunContext(Source.NAMED);
  }

  /** The pairing names each exchange's step in its listener; see {@link #pairingSteps()}. */
  public static RunContext forPairing() {
    return new RunContext(Source.PAIRING);
  }

  /** No decorated transport: the run's listener reports the exchanges ({@code dkrig apdu}). */
  public static RunContext fedByListener() {
    return new RunContext(Source.LISTENER);
  }

  /** The step the next exchanges belong to. */
  public synchronized void step(Label step) {
    flush();
    current = step;
  }

  /** Adds a writer; it hears every exchange from now on, in the order writers were added. */
  public void listen(WireListener listener) {
    listeners.add(listener);
  }

  /** Removes a writer (its file is closed). */
  public void remove(WireListener listener) {
    listeners.remove(listener);
  }

  /**
   * What the pairing's listener tells this context: the step of the exchange just made ({@link
   * #forPairing()}), or the exchanges themselves ({@link #fedByListener()}). Put it first among the
   * run's listeners, so the exchange is written down before any other listener hears of it.
   */
  public RunListener pairingSteps() {
    return new RunListener() {
      @Override
      public void exchange(
          Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
        named(step, command, response, sent, received);
      }

      @Override
      public void rawExchange(
          byte[] command, ResponseApdu response, Instant sent, Instant received) {
        if (source == Source.LISTENER) {
          wired(new Wired(null, command.clone(), response, sent, received));
        }
      }

      @Override
      public void nfcReset(Instant at) {
        if (source == Source.LISTENER) {
          fieldReset(at);
        }
      }
    };
  }

  private synchronized void named(
      Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
    switch (source) {
      case PAIRING -> {
        current = Label.of(step);
        if (pending != null && pending.command() == command) {
          Wired exchange = pending;
          pending = null;
          dispatch(exchange, current);
        }
      }
      case LISTENER -> dispatch(new Wired(command, null, response, sent, received), Label.of(step));
      case NAMED -> {}
    }
  }

  /** An exchange the decorator saw; {@code raw} is null for a well-formed APDU. */
  synchronized void wired(
      CommandApdu command, byte[] raw, ResponseApdu response, Instant sent, Instant received) {
    wired(new Wired(command, raw, response, sent, received));
  }

  private synchronized void wired(Wired exchange) {
    flush();
    if (source == Source.PAIRING && exchange.command() != null) {
      pending = exchange;
    } else {
      dispatch(exchange, current);
    }
  }

  /** The field went on or off, as the card saw it ({@code dkrig phone}). */
  public synchronized void field(Instant at, boolean on) {
    flush();
    for (WireListener l : listeners) {
      l.field(at, on);
    }
  }

  /** The reader's field went off and on again. */
  synchronized void fieldReset(Instant at) {
    flush();
    for (WireListener l : listeners) {
      l.fieldReset(at);
    }
  }

  /** An exchange whose step was never named goes down under the last step known. */
  private void flush() {
    if (pending != null) {
      Wired exchange = pending;
      pending = null;
      dispatch(exchange, current);
    }
  }

  private void dispatch(Wired e, Label step) {
    for (WireListener l : listeners) {
      if (e.raw() != null) {
        l.rawExchange(step, e.raw(), e.response(), e.sent(), e.received());
      } else {
        l.exchange(step, e.command(), e.response(), e.sent(), e.received());
      }
    }
  }
}
