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
 * The ACR122U's command paths over javax.smartcardio: SCardControl on a {@code direct} connection
 * when no card is present (the escape path: libccid needs {@code ifdDriverOptions 0x0001}), the
 * card's own channel when the phone is connected. A direct connection is released after each
 * command, because the JDK hands the same connection to a later {@code connect("*")}.
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
    Card direct;
    try {
      direct = terminal.connect("direct");
    } catch (CardException e) {
      throw Pcsc.map(e, "opening the reader's escape channel");
    }
    try {
      return direct.transmitControlCommand(controlCode, command);
    } catch (CardException e) {
      // A refused escape (NOT_TRANSACTED, UNSUPPORTED_FEATURE) is the driver's answer, not a lost
      // card: IO, which the ACR122U layer turns into the ifdDriverOptions advice.
      TransportException mapped = Pcsc.map(e, "an escape command");
      throw mapped.kind() == TransportException.Kind.SERVICE_DOWN
              || mapped.kind() == TransportException.Kind.READER_GONE
          ? mapped
          : new TransportException(TransportException.Kind.IO, mapped.getMessage(), e);
    } finally {
      try {
        direct.disconnect(false);
      } catch (CardException | IllegalStateException e) {
        // Released already.
      }
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
