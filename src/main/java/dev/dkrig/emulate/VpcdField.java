package dev.dkrig.emulate;

import dev.dkrig.iso7816.ContactlessCard;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A pcscd reader slot as the field of {@link Pn532TargetEmulator}: while the phone has the board
 * armed, the board's card sits in the vpcd slot at an endpoint (a {@link VpcdCardServer}, started
 * at the first arming, with the ATR of the historical bytes the phone gave); when the phone stops
 * arming, the card is taken out. vpcd's power-on and reset activate the card, its power-off and
 * reset release it.
 */
public final class VpcdField implements Pn532TargetEmulator.Field {
  /**
   * How long a silent card holds vpcd: the relay has already waited for the phone's answer, so the
   * link drops soon after.
   */
  static final Duration SILENCE_LIMIT = Duration.ofSeconds(1);

  private static final int MAX_HISTORICAL_BYTES = 15;

  private final VpcdEndpoint endpoint;
  private final VpcdCardServer.Listener listener;
  private VpcdCardServer server;
  private boolean closed;

  public VpcdField(VpcdEndpoint endpoint, VpcdCardServer.Listener listener) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public synchronized void armed(ContactlessCard card, byte[] historicalBytes) {
    if (closed) {
      return;
    }
    if (server == null) {
      byte[] historical = historicalBytes;
      if (historical.length > MAX_HISTORICAL_BYTES) {
        // An ATR holds 15; the reader stack sees the first 15, as a PC/SC reader would report.
        historical = Arrays.copyOf(historical, MAX_HISTORICAL_BYTES);
      }
      server =
          VpcdCardServer.builder(card)
              .endpoint(endpoint)
              .atr(ContactlessAtr.iso14443Part4(historical))
              .silenceLimit(SILENCE_LIMIT)
              .listener(listener)
              .build()
              .start();
    } else {
      server.insert();
    }
  }

  @Override
  public synchronized void disarmed() {
    if (server != null) {
      server.remove();
    }
  }

  /** Whether the card is in the slot now. */
  public synchronized boolean inserted() {
    return server != null && server.isInserted();
  }

  @Override
  public void close() {
    VpcdCardServer current;
    synchronized (this) {
      closed = true;
      current = server;
    }
    if (current != null) {
      current.close();
    }
  }
}
