package dev.dkrig.report;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import java.time.Instant;

/**
 * What an evidence writer (trace, pcapng, APDU log) is told about the wire by {@link
 * EvidenceTransport}: each exchange as the reader carried it, under the step {@link RunContext}
 * names, and each NFC reset. Called in wire order, on the thread that sent.
 */
public interface WireListener {

  /**
   * One APDU crossed the reader.
   *
   * @param response null when the exchange failed (tag lost, timeout)
   */
  void exchange(
      RunContext.Label step,
      CommandApdu command,
      ResponseApdu response,
      Instant sent,
      Instant received);

  /**
   * Bytes that are not a well-formed short APDU crossed the reader ({@code dkrig apdu --raw}).
   *
   * @param response null when the exchange failed (tag lost, timeout)
   */
  default void rawExchange(
      RunContext.Label step,
      byte[] command,
      ResponseApdu response,
      Instant sent,
      Instant received) {}

  /** The reader turned its field off and on (the contract's NFC reset, §3.2). */
  default void fieldReset(Instant at) {}

  /**
   * The field went on or off as a card sees it ({@code dkrig phone}, issue 19): each on its own,
   * where a reader's own reset is one {@link #fieldReset}.
   */
  default void field(Instant at, boolean on) {}
}
