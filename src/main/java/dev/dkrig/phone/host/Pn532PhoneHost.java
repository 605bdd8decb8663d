package dev.dkrig.phone.host;

import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pn532.Pn532CardEmulation;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The phone on a PN532 board in ISO 14443-4 card emulation, held to the vehicle's pad ({@link
 * Pn532CardEmulation}). The board re-arms by itself after each activation; a phone that leaves the
 * field by itself (the device quirk {@code leave-field-mid-stream}) stays silent, the board drops
 * that activation and arms again, so the vehicle meets it anew on its next poll. A board or port
 * that fails is the phone's own transport failing (ERROR in the step in progress), and so is a
 * board that cannot be opened before the first contact (ERROR of P1.6.1).
 */
public final class Pn532PhoneHost implements PhoneHost {
  private final Pn532UartSettings settings;
  private final Consumer<String> notes;
  private final RunSwitch cards = new RunSwitch();
  private Pn532CardEmulation board;
  private String failure;
  private boolean started;

  public Pn532PhoneHost(Pn532UartSettings settings, Consumer<String> notes) {
    this.settings = settings;
    this.notes = notes;
  }

  @Override
  public synchronized String description() {
    return "PN532 on "
        + settings.port()
        + (board == null ? "" : " (" + board.firmware() + ", card emulation)");
  }

  @Override
  public synchronized void open() {
    if (board != null || failure != null) {
      return;
    }
    try {
      board = Pn532CardEmulation.open(settings);
    } catch (TransportException e) {
      failure = "the PN532 board on " + settings.port() + " cannot be used: " + e.getMessage();
    }
  }

  @Override
  public synchronized Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public synchronized void serve(HostedPhone phone) {
    cards.switchTo(phone);
    if (started) {
      return;
    }
    started = true;
    open();
    if (failure != null) {
      phone.hostFailed(failure);
      return;
    }
    notes.accept("PN532 on " + settings.port() + ": " + board.firmware() + ", card emulation");
    board.serve(cards, new Board());
  }

  @Override
  public synchronized void close() {
    if (board != null) {
      board.close();
    }
  }

  private final class Board implements Pn532CardEmulation.Listener {
    @Override
    public void armed() {
      notes.accept("PN532 armed: waiting for the vehicle's field");
    }

    @Override
    public void released(String why) {
      notes.accept("PN532 released: " + why);
    }

    @Override
    public void failed(String cause) {
      cards.failed("the PN532 board on " + settings.port() + " failed: " + cause);
    }
  }
}
