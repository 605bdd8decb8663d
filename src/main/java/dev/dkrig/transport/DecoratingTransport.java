package dev.dkrig.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * A transport that wraps another (fault injection, warm-up, recording, evidence). Code that needs
 * the reader underneath (an ACR122U's LEDs) or one decorator in the stack (the injected faults)
 * finds it through {@link #find}, whatever the order and number of decorators.
 */
public interface DecoratingTransport extends NfcTransport {

  /** The transport this one wraps. */
  NfcTransport inner();

  // What a decorator does not change goes straight through. Exchanges are not forwarded here:
  // each decorator says what it does with transmit (and transmitRaw keeps NfcTransport's default,
  // which goes through this decorator's transmit).

  @Override
  default String description() {
    return inner().description();
  }

  @Override
  default void startPolling() {
    inner().startPolling();
  }

  @Override
  default boolean awaitTarget(Duration wait) throws InterruptedException {
    return inner().awaitTarget(wait);
  }

  @Override
  default void reset() {
    inner().reset();
  }

  @Override
  default void stopPolling() {
    inner().stopPolling();
  }

  @Override
  default void close() {
    inner().close();
  }

  /** The reader under every decorator. */
  static NfcTransport reader(NfcTransport transport) {
    NfcTransport t = transport;
    while (t instanceof DecoratingTransport d) {
      t = d.inner();
    }
    return t;
  }

  /** The outermost transport of this type in the stack, the stack's top included. */
  static <T extends NfcTransport> Optional<T> find(NfcTransport transport, Class<T> type) {
    NfcTransport t = transport;
    while (true) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
      if (!(t instanceof DecoratingTransport d)) {
        return Optional.empty();
      }
      t = d.inner();
    }
  }
}
