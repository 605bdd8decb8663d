package dev.dkrig.transport.pcsc;

import dev.dkrig.iso7816.Hex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.smartcardio.ATR;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * A javax.smartcardio reader in memory, for unit tests of the PC/SC transport's own logic (the real
 * pcscd path is tested through vpcd). Records every command, APDU and control code; answers from
 * scripts.
 *
 * <p>It keeps pcsc-lite's card protocol as {@code winscard.c} does: a connection that asks for RAW
 * (the JDK's {@code connect("direct")} on Linux) makes RAW the card's protocol; a later {@code
 * connect("*")} then fails with {@code SCARD_E_PROTO_MISMATCH} until the card is reset ({@code
 * disconnect(true)}), removed or inserted.
 */
final class FakeReader extends CardTerminal {
  final String name;
  boolean present = true;
  boolean removed;
  Function<byte[], byte[]> apdus = apdu -> Hex.decode("9000");
  Function<byte[], byte[]> controls = command -> Hex.decode("9000");
  Runnable onTransmit = () -> {};

  /** Runs while {@link #waitForCardPresent} waits (a reader's own polling), with the timeout. */
  java.util.function.LongConsumer onWait = timeout -> {};

  /** Runs as a direct connection is asked for, before pcsc-lite looks at the card. */
  Runnable onConnectDirect = () -> {};

  final List<String> log = new ArrayList<>();
  private FakeCard card;
  private String cardProtocol = "UNDEFINED";
  private boolean lastPresent = true;

  /** pcsc-lite's protocol is unset whenever the card is inserted or removed. */
  private void sync() {
    if (present != lastPresent) {
      lastPresent = present;
      cardProtocol = "UNDEFINED";
    }
  }

  FakeReader(String name) {
    this.name = name;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Card connect(String protocol) throws CardException {
    if (protocol.equals("direct")) {
      onConnectDirect.run();
    }
    sync();
    if (!protocol.equals("direct") && !present) {
      throw new CardException("connect() failed", new RuntimeException("SCARD_E_NO_SMARTCARD"));
    }
    if (protocol.equals("direct")) {
      log.add("connect direct");
      cardProtocol = "RAW";
      return new FakeCard(true);
    }
    if (cardProtocol.equals("RAW")) {
      log.add("connect " + protocol + " refused: SCARD_E_PROTO_MISMATCH");
      throw new CardException("connect() failed", new RuntimeException("SCARD_E_PROTO_MISMATCH"));
    }
    log.add("connect " + protocol);
    cardProtocol = "T=1";
    card = new FakeCard(false);
    return card;
  }

  @Override
  public boolean isCardPresent() {
    sync();
    return present;
  }

  @Override
  public boolean waitForCardPresent(long timeout) {
    sync();
    if (!present) {
      onWait.accept(timeout);
      sync();
    }
    return present;
  }

  @Override
  public boolean waitForCardAbsent(long timeout) {
    sync();
    return !present;
  }

  final class FakeCard extends Card {
    private final boolean direct;

    FakeCard(boolean direct) {
      this.direct = direct;
    }

    @Override
    public ATR getATR() {
      return new ATR(Hex.decode("3B8080010101"));
    }

    @Override
    public String getProtocol() {
      // What the JDK reports for a direct connection on Linux (RAW, protocol 4).
      return direct ? "Unknown protocol 4" : "T=1";
    }

    @Override
    public CardChannel getBasicChannel() {
      return new FakeChannel(this);
    }

    @Override
    public CardChannel openLogicalChannel() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void beginExclusive() {}

    @Override
    public void endExclusive() {}

    @Override
    public byte[] transmitControlCommand(int controlCode, byte[] command) throws CardException {
      log.add("control " + Integer.toHexString(controlCode) + " " + Hex.encode(command));
      byte[] answer = controls.apply(command);
      if (answer == null) {
        throw new CardException(
            "SCardControl() failed", new RuntimeException("SCARD_E_NOT_TRANSACTED"));
      }
      return answer;
    }

    @Override
    public void disconnect(boolean reset) {
      sync();
      if (reset) {
        cardProtocol = "UNDEFINED";
      }
      log.add(
          "disconnect "
              + (direct ? (reset ? "direct reset" : "direct") : reset ? "reset" : "leave"));
    }
  }

  final class FakeChannel extends CardChannel {
    private final FakeCard owner;

    FakeChannel(FakeCard owner) {
      this.owner = owner;
    }

    @Override
    public Card getCard() {
      return owner;
    }

    @Override
    public int getChannelNumber() {
      return 0;
    }

    @Override
    public ResponseAPDU transmit(CommandAPDU command) throws CardException {
      return new ResponseAPDU(raw(command.getBytes()));
    }

    @Override
    public int transmit(ByteBuffer command, ByteBuffer response) throws CardException {
      byte[] bytes = new byte[command.remaining()];
      command.get(bytes);
      byte[] answer = raw(bytes);
      response.put(answer);
      return answer.length;
    }

    private byte[] raw(byte[] command) throws CardException {
      onTransmit.run();
      if (removed) {
        throw new CardException("transmit() failed", new RuntimeException("SCARD_W_REMOVED_CARD"));
      }
      log.add("transmit " + Hex.encode(command));
      return apdus.apply(command);
    }

    @Override
    public void close() {}
  }
}
