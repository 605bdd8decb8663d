package dev.dkrig.emulate;

import dev.dkrig.iso7816.ContactlessCard;
import java.time.Duration;
import java.util.Objects;

/** Settings of a {@link VpcdCardServer}. */
public final class VpcdCardServerBuilder {
  final ContactlessCard card;
  VpcdEndpoint endpoint = VpcdEndpoint.defaultEndpoint();
  byte[] atr = ContactlessAtr.hcePhone();
  Duration silenceLimit = VpcdCardServer.DEFAULT_SILENCE_LIMIT;
  Duration maxBackoff = VpcdCardServer.DEFAULT_MAX_BACKOFF;
  VpcdCardServer.Listener listener = new VpcdCardServer.Listener() {};
  Duration tapDelay = Duration.ZERO;
  Duration pendingCommandSilence = VpcdCardServer.DEFAULT_PENDING_COMMAND_SILENCE;

  VpcdCardServerBuilder(ContactlessCard card) {
    this.card = Objects.requireNonNull(card, "card");
  }

  public VpcdCardServerBuilder endpoint(VpcdEndpoint value) {
    this.endpoint = Objects.requireNonNull(value, "endpoint");
    return this;
  }

  /** The slot at {@code 127.0.0.1:port}. */
  public VpcdCardServerBuilder port(int port) {
    return endpoint(new VpcdEndpoint(VpcdEndpoint.DEFAULT_HOST, port));
  }

  /** The ATR answered to {@code 04} (default {@link ContactlessAtr#hcePhone()}). */
  public VpcdCardServerBuilder atr(byte[] value) {
    if (value.length < 2 || value.length > 33) {
      throw new IllegalArgumentException("an ATR has 2 to 33 bytes, not " + value.length);
    }
    this.atr = value.clone();
    return this;
  }

  /** How long a silent card holds vpcd before the server drops the link. */
  public VpcdCardServerBuilder silenceLimit(Duration value) {
    this.silenceLimit = positive(value, "silence limit");
    return this;
  }

  /**
   * How long vpcd may say nothing, once it has spoken on a link, before the server takes it to be
   * waiting for the answer to a command it could not put on the wire (a zero-length command, or a
   * one-byte {@code 00}, {@code 01} or {@code 02} read as a control byte) and answers it. pcscd's
   * presence polls come every 0.4 s, so the default of 2 s misses five of them.
   */
  public VpcdCardServerBuilder pendingCommandSilence(Duration value) {
    this.pendingCommandSilence = positive(value, "pending-command silence");
    return this;
  }

  /** The longest wait between two connection attempts (the backoff starts at 50 ms). */
  public VpcdCardServerBuilder maxBackoff(Duration value) {
    this.maxBackoff = positive(value, "backoff");
    return this;
  }

  /**
   * Issue 20: the card stays off the reader for this long after {@link #start()}, then arrives, as
   * a phone laid on the pad while the car waits (default 0: on the reader at once). vpcd is polled
   * by pcscd only while a card is connected, so the delay counts from the start.
   */
  public VpcdCardServerBuilder tapDelay(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("the tap delay must be zero or positive");
    }
    tapDelay = value;
    return this;
  }

  public VpcdCardServerBuilder listener(VpcdCardServer.Listener value) {
    this.listener = Objects.requireNonNull(value, "listener");
    return this;
  }

  /** The server, not started yet. */
  public VpcdCardServer build() {
    return new VpcdCardServer(this);
  }

  private static Duration positive(Duration value, String what) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive");
    }
    return value;
  }
}
