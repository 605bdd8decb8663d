package dev.dkrig.transport.pcsc;

import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.ReaderControl;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;

/**
 * The ACR122U's command paths over javax.smartcardio: SCardControl (the escape path: libccid needs
 * {@code ifdDriverOptions 0x0001}) when the transport holds no card, the card's own channel when
 * the phone is connected.
 *
 * <p>Which connection carries the escape follows libnfc's {@code acr122_pcsc}, which connects
 * T=0|T=1 first and falls back to a direct connection with protocol 0 only when that fails (no
 * card). The JDK cannot ask for protocol 0 on Linux: its {@code connect("direct")} asks pcsc-lite
 * for RAW, and pcsc-lite keeps RAW as the card's protocol, so that every later {@code connect("*")}
 * fails with {@code SCARD_E_PROTO_MISMATCH} while the card stays (pcsc-lite {@code winscard.c}; its
 * issue 49). So: with a card present the escape goes on a {@code connect("*")} connection; without
 * one on a direct connection, which is released with a card reset (pcsc-lite then forgets RAW) if a
 * card arrived meanwhile. Each connection is released after its command, because the JDK hands a
 * valid connection to a later {@code connect("*")}.
 */
final class PcscReaderControl implements ReaderControl {
  private static final int MAX_RESPONSE = 264;

  private final CardTerminal terminal;
  private final Supplier<Card> connectedCard;

  /**
   * @param connectedCard the phone's connection held by the transport, or null
   */
  PcscReaderControl(CardTerminal terminal, Supplier<Card> connectedCard) {
    this.terminal = terminal;
    this.connectedCard = connectedCard;
  }

  @Override
  public Connection connection() {
    return connectedCard.get() == null ? Connection.DIRECT : Connection.CARD;
  }

  @Override
  public byte[] control(int controlCode, byte[] command) {
    EscapeChannel escape = openEscapeChannel();
    Card channel = escape.card();
    try {
      return channel.transmitControlCommand(controlCode, command);
    } catch (CardException e) {
      // A refused escape (NOT_TRANSACTED, UNSUPPORTED_FEATURE) is the driver's answer, not a lost
      // card: IO, which the ACR122U layer turns into the ifdDriverOptions advice.
      TransportException mapped = Pcsc.map(e, "an escape command");
      throw mapped.kind() == TransportException.Kind.SERVICE_DOWN
              || mapped.kind() == TransportException.Kind.READER_GONE
          ? mapped
          : new TransportException(TransportException.Kind.IO, mapped.getMessage(), e);
    } finally {
      release(channel, escape.direct() && cardPresent());
    }
  }

  /** A connection for escape commands; {@code direct} says how it was opened. */
  private record EscapeChannel(Card card, boolean direct) {}

  /** A T=0|T=1 connection while a card is present, else a direct one (see the class comment). */
  private EscapeChannel openEscapeChannel() {
    if (cardPresent()) {
      try {
        return new EscapeChannel(terminal.connect("*"), false);
      } catch (CardException e) {
        TransportException mapped = Pcsc.map(e, "opening the reader's escape channel");
        if (mapped.kind() != TransportException.Kind.TAG_LOST) {
          throw mapped;
        }
        // The card left since the presence check: the direct connection below serves.
      }
    }
    try {
      return new EscapeChannel(terminal.connect("direct"), true);
    } catch (CardException e) {
      throw Pcsc.map(e, "opening the reader's escape channel");
    }
  }

  private boolean cardPresent() {
    try {
      return terminal.isCardPresent();
    } catch (CardException e) {
      return false;
    }
  }

  /** Releases a connection; {@code reset} makes pcsc-lite forget the RAW protocol. */
  private static void release(Card channel, boolean reset) {
    try {
      channel.disconnect(reset);
    } catch (CardException | IllegalStateException e) {
      // Released already.
    }
  }

  @Override
  public byte[] transmit(byte[] apdu) {
    Card card = connectedCard.get();
    if (card == null) {
      throw new TransportException(TransportException.Kind.TAG_LOST, "no card connected");
    }
    CardChannel channel = card.getBasicChannel();
    ByteBuffer response = ByteBuffer.allocate(MAX_RESPONSE);
    try {
      // The raw form: the firmware-version answer carries no status word.
      int length = channel.transmit(ByteBuffer.wrap(apdu), response);
      return Arrays.copyOf(response.array(), length);
    } catch (CardException | IllegalStateException e) {
      throw Pcsc.map(e, "a reader command");
    }
  }
}
