package dev.dkrig.transport.pcsc;

import dev.dkrig.time.RigClock;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.Acr122u;
import dev.dkrig.transport.acr122u.EscapeCodes;
import dev.dkrig.transport.acr122u.FirmwareVersion;
import dev.dkrig.transport.acr122u.Indicator;
import dev.dkrig.transport.acr122u.PiccOperatingParameter;
import dev.dkrig.transport.pn532.EcpFrame;
import dev.dkrig.transport.pn532.EcpRound;
import dev.dkrig.transport.pn532.MaxRetries;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;

/**
 * What the rig adds when the pad's reader is an ACR122U: the firmware check, a real field reset
 * (DESELECT, RF off, RF on) for the contract's NFC reset, the LED and buzzer as the run's progress,
 * and Apple ECP car-pairing frames while polling. All of it needs libccid's escape option; without
 * it the rig says so once and pairs with the plain PC/SC behaviour.
 */
final class Acr122uPad {
  private final Acr122u reader;
  private final PcscTransport.Acr122uOptions options;
  private final Consumer<String> notes;
  private boolean escapeWorks = true;
  private String firmware = "";
  private PiccOperatingParameter autoPolling = PiccOperatingParameter.FACTORY_DEFAULT;
  private String lastEcpNote = "";
  private long lastBlink;

  Acr122uPad(
      CardTerminal terminal,
      Supplier<Card> card,
      PcscTransport.Acr122uOptions options,
      RigClock clock,
      Map<String, String> environment,
      Consumer<String> notes) {
    this.reader =
        new Acr122u(
            new PcscReaderControl(terminal, card),
            EscapeCodes.fromEnvironment(environment).value(),
            clock);
    this.options = options;
    this.notes = notes;
  }

  /** Reads the firmware; a refused escape turns the extras off with one note. */
  void start() {
    try {
      FirmwareVersion version = reader.requireSupportedFirmware();
      firmware = version.text();
      // Mode A (the reader polls ISO 14443-A and activates the phone itself), whatever an earlier
      // session (an interrupted ECP round) left behind.
      PiccOperatingParameter asRead = reader.piccOperatingParameter();
      if (asRead.autoPolling()) {
        autoPolling = asRead;
      } else {
        reader.useAutoPolling(autoPolling);
        notes.accept("ACR122U auto polling was off (" + asRead + "); switched back on");
      }
      show(Indicator.READY);
    } catch (TransportException e) {
      escapeWorks = false;
      notes.accept("ACR122U extras off (LED, buzzer, field reset, ECP): " + e.getMessage());
    }
  }

  String firmware() {
    return firmware;
  }

  /** Between polls with no phone: blink, and run an ECP round when configured. */
  void polling() {
    if (!escapeWorks) {
      return;
    }
    long now = System.nanoTime();
    if (options.indicator() && now - lastBlink > 1_000_000_000L) {
      lastBlink = now;
      show(Indicator.WAITING_FOR_TAP);
    }
    options.ecp().ifPresent(this::ecpRound);
  }

  /**
   * One round of the public ECP recipe (hardware.md §8): the reader's own polling off, MaxRetries
   * {@code FF 01 00}, InListPassiveTarget, the frame; then the reader polls by itself again. An
   * iPhone does not answer the poll right after the car-pairing frame; it shows its pairing sheet
   * and answers a later poll, the firmware's (Mode A, where the APDUs go) or the next round's,
   * after which the phone is released so that the firmware activates it.
   */
  private void ecpRound(EcpFrame frame) {
    try {
      reader.setPiccOperatingParameter(PiccOperatingParameter.MANUAL_POLLING);
      EcpRound round = reader.sendEcp(frame, MaxRetries.ECP);
      if (round.outcome() == EcpRound.Outcome.TARGET_PRESENT) {
        reader.release();
      } else if (round.outcome() == EcpRound.Outcome.ANSWERED) {
        ecpNote("something answered the ECP frame: " + round);
      }
    } catch (TransportException e) {
      ecpNote("ECP round failed: " + e.getMessage());
    } finally {
      try {
        reader.useAutoPolling(autoPolling);
      } catch (TransportException e) {
        ecpNote("the ACR122U's own polling could not be switched back on: " + e.getMessage());
      }
    }
  }

  /** One note per distinct trouble: a round runs every poll slice. */
  private void ecpNote(String note) {
    if (!note.equals(lastEcpNote)) {
      lastEcpNote = note;
      notes.accept(note);
    }
  }

  void targetFound() {
    show(Indicator.PAIRING);
  }

  /** The field reset of §3.2, after the phone's connection was released. */
  boolean fieldReset(Duration fieldOff) {
    if (!escapeWorks || !options.fieldReset()) {
      return false;
    }
    try {
      reader.nfcReset(
          fieldOff.compareTo(Acr122u.MINIMUM_FIELD_OFF) < 0 ? Acr122u.MINIMUM_FIELD_OFF : fieldOff);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TransportException e) {
      notes.accept("field reset by escape failed (" + e.getMessage() + "); the card reset stands");
      return false;
    }
  }

  void verdict(Indicator indicator) {
    show(indicator);
  }

  private void show(Indicator indicator) {
    if (!escapeWorks || !options.indicator()) {
      return;
    }
    try {
      reader.show(indicator);
    } catch (TransportException e) {
      // The LED is a courtesy; it never changes a result.
    }
  }
}
