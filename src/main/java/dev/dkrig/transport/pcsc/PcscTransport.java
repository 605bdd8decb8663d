package dev.dkrig.transport.pcsc;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.Acr122u;
import dev.dkrig.transport.acr122u.Indicator;
import dev.dkrig.transport.pn532.EcpFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;

/**
 * The pad's reader over PC/SC (javax.smartcardio): any CCID contactless reader that activates ISO
 * 14443-4 targets on its own, the vsmartcard vpcd driver in CI. Every APDU the rig sends crosses
 * the reader as is (§3.2): no automatic GET RESPONSE, no 6Cxx re-send.
 *
 * <p>NFC reset (§3.2): the card is disconnected with SCARD_RESET_CARD, which powers the target down
 * (a field reset on contactless readers), and the next {@link #awaitTarget} connects again.
 */
public final class PcscTransport implements NfcTransport {
  private static final Duration MIN_FIELD_OFF = Duration.ofMillis(10);

  private final ReaderSelection selection;
  private final Duration apduTimeout;
  private final RigClock clock;
  private final Optional<Acr122uOptions> acr122uOptions;
  private final Consumer<String> notes;
  private Acr122uPad pad;
  private final Supplier<List<CardTerminal>> terminalSource;
  private CardTerminal terminal;
  private Card card;
  private CardChannel channel;
  private String atr = "";

  public PcscTransport(ReaderSelection selection, Duration apduTimeout, RigClock clock) {
    this(selection, apduTimeout, clock, Optional.empty(), note -> {});
  }

  /**
   * @param acr122u the ACR122U extras to use when the chosen reader is one (empty: plain PC/SC)
   * @param notes bench notes for the run's trace (e.g. "ACR122U extras off: ...")
   */
  public PcscTransport(
      ReaderSelection selection,
      Duration apduTimeout,
      RigClock clock,
      Optional<Acr122uOptions> acr122u,
      Consumer<String> notes) {
    this(selection, apduTimeout, clock, acr122u, notes, () -> Pcsc.terminals(Pcsc.factory()));
  }

  /** With the readers from somewhere else than pcscd (unit tests' fake terminals). */
  PcscTransport(
      ReaderSelection selection,
      Duration apduTimeout,
      RigClock clock,
      Optional<Acr122uOptions> acr122u,
      Consumer<String> notes,
      Supplier<List<CardTerminal>> terminalSource) {
    this.terminalSource = terminalSource;
    this.selection = selection;
    this.apduTimeout = apduTimeout;
    this.clock = clock;
    this.acr122uOptions = acr122u;
    this.notes = notes;
  }

  @Override
  public String description() {
    if (terminal == null) {
      return "PC/SC reader " + selection.hint().map(h -> "'" + h + "'").orElse("(auto)");
    }
    String firmware = pad == null || pad.firmware().isEmpty() ? "" : ", firmware " + pad.firmware();
    return terminal.getName() + (atr.isEmpty() ? "" : " (ATR " + atr + firmware + ")");
  }

  /** The chosen reader's name, once polling started. */
  public Optional<String> readerName() {
    return Optional.ofNullable(terminal).map(CardTerminal::getName);
  }

  public String atr() {
    return atr;
  }

  @Override
  public void startPolling() {
    if (terminal != null) {
      return;
    }
    List<CardTerminal> terminals = terminalSource.get();
    List<ReaderSelection.Reader> readers =
        Pcsc.describe(terminals, false).stream().map(Pcsc.ReaderInfo::asReader).toList();
    ReaderSelection.Reader chosen;
    try {
      chosen = selection.choose(readers);
    } catch (ReaderSelection.NoReaderException e) {
      throw new TransportException(TransportException.Kind.READER_GONE, e.getMessage(), e);
    }
    terminal =
        terminals.stream().filter(t -> t.getName().equals(chosen.name())).findFirst().orElse(null);
    if (terminal == null) {
      throw new TransportException(
          TransportException.Kind.READER_GONE, "reader " + chosen.name() + " disappeared");
    }
    if (ReaderContexts.enabled()) {
      // Several pads in one process: this reader on a context of its own (no waiting on others).
      terminal = ReaderContexts.terminal(chosen.name()).orElse(terminal);
    }
    if (acr122uOptions.isPresent() && Acr122u.isAcr122u(chosen.name())) {
      Acr122uOptions o = acr122uOptions.get();
      // An ACR122U: firmware check, LED and buzzer, field reset and ECP by escape.
      pad = new Acr122uPad(terminal, () -> card, o, clock, System.getenv(), notes);
      pad.start();
    }
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    requirePolling();
    if (channel != null) {
      return true;
    }
    try {
      long millis = Math.max(1, wait.toMillis());
      if (!terminal.isCardPresent() && !terminal.waitForCardPresent(millis)) {
        if (pad != null) {
          pad.polling();
        }
        return false;
      }
      card = connectCard();
      channel = card.getBasicChannel();
      atr = Hex.encode(card.getATR().getBytes());
      if (pad != null) {
        pad.targetFound();
      }
      return true;
    } catch (CardException e) {
      TransportException mapped = Pcsc.map(e, "polling");
      if (mapped.kind() == TransportException.Kind.TAG_LOST) {
        // The device left again before the connection completed: not found yet.
        forget();
        return false;
      }
      throw mapped;
    } catch (TransportException e) {
      throw e;
    } catch (RuntimeException e) {
      // No unchecked exception leaves a polling loop: the step ends ERROR with this cause.
      throw new TransportException(
          TransportException.Kind.IO,
          "polling failed unexpectedly on " + description() + ": " + e,
          e);
    } finally {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while polling");
      }
    }
  }

  /**
   * {@code connect("*")}, and once more after a card reset when pcsc-lite kept the RAW protocol of
   * a direct connection made while the card was present (another program's, or an escape command
   * that raced a tap): a reset makes it forget RAW (pcsc-lite {@code winscard.c}).
   */
  private Card connectCard() throws CardException {
    try {
      return terminal.connect("*");
    } catch (CardException e) {
      if (!Pcsc.code(e).equals("SCARD_E_PROTO_MISMATCH")) {
        throw e;
      }
      notes.accept(
          "pcsc-lite kept the RAW protocol of an earlier direct connection"
              + " (SCARD_E_PROTO_MISMATCH); resetting the card clears it");
      terminal.connect("direct").disconnect(true);
      return terminal.connect("*");
    }
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    return send(
        command.bytes(),
        Hex.encode(command.header()),
        bytes -> channel.transmit(new CommandAPDU(bytes)).getBytes());
  }

  /** javax.smartcardio's byte-buffer transmit sends the bytes without checking Lc or Le. */
  @Override
  public ResponseApdu transmitRaw(byte[] apdu) {
    return send(
        apdu,
        Hex.encode(apdu, 0, Math.min(4, apdu.length)),
        bytes -> {
          java.nio.ByteBuffer response = java.nio.ByteBuffer.allocate(MAX_RESPONSE);
          int length = channel.transmit(java.nio.ByteBuffer.wrap(bytes), response);
          return java.util.Arrays.copyOf(response.array(), length);
        });
  }

  /** An extended-length response: 65,536 data bytes and the status word. */
  private static final int MAX_RESPONSE = 65_538;

  /** One exchange through the card channel. */
  private interface ChannelCall {
    byte[] transmit(byte[] apdu) throws CardException;
  }

  private ResponseApdu send(byte[] apdu, String header, ChannelCall call) {
    if (channel == null) {
      throw new TransportException(
          TransportException.Kind.TAG_LOST, "tag lost: no device connected on " + description());
    }
    Instant sent = clock.now();
    byte[] response;
    try {
      response = call.transmit(apdu);
    } catch (CardException | IllegalStateException | IllegalArgumentException e) {
      TransportException mapped = Pcsc.map(e, header);
      if (mapped.kind() == TransportException.Kind.TAG_LOST) {
        forget();
      }
      throw mapped;
    }
    Duration took = Duration.between(sent, clock.now());
    if (took.compareTo(apduTimeout) > 0) {
      // §13 T_Apdu: a response after the limit is a timeout, whatever it says.
      throw new TransportException(
          TransportException.Kind.TIMEOUT,
          "no response within T_Apdu ("
              + apduTimeout.toMillis()
              + " ms): the answer came after "
              + took.toMillis()
              + " ms");
    }
    return NfcTransport.response(response);
  }

  @Override
  public void reset() {
    if (card == null) {
      return;
    }
    Card current = card;
    forget();
    try {
      current.disconnect(true);
    } catch (CardException | IllegalStateException e) {
      // The target is gone already: the reset achieved its purpose.
    }
    if (pad != null && pad.fieldReset(MIN_FIELD_OFF)) {
      return;
    }
    try {
      clock.sleep(MIN_FIELD_OFF);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stopPolling() {
    // Contactless PC/SC readers poll on their own; stopping means releasing the target.
    if (card != null) {
      Card current = card;
      forget();
      try {
        current.disconnect(true);
      } catch (CardException | IllegalStateException e) {
        // Already gone.
      }
    }
  }

  /** Shows the run's verdict on the reader, when it can (an ACR122U's LED and buzzer). */
  public void showVerdict(Indicator indicator) {
    if (pad != null) {
      pad.verdict(indicator);
    }
  }

  @Override
  public void close() {
    stopPolling();
  }

  /** The ACR122U extras a rig asks for ({@code acr122u:} in the rig file). */
  public record Acr122uOptions(boolean indicator, boolean fieldReset, Optional<EcpFrame> ecp) {}

  private void forget() {
    card = null;
    channel = null;
  }

  private void requirePolling() {
    if (terminal == null) {
      throw new IllegalStateException("startPolling first");
    }
  }
}
