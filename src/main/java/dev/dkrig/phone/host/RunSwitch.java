package dev.dkrig.phone.host;

import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.phone.PhoneRun;

/**
 * The card a host serves for a whole session: it passes the field to the card of the pairing in
 * progress, so that {@code --repeat} hands the field from one pairing to the next without taking
 * the phone away. A pairing that takes over while the field is on is activated first, as the field
 * it finds is on.
 */
final class RunSwitch implements ContactlessCard {
  private final Runnable leaveField;
  private PhoneRun run;
  private boolean powered;

  /** A host that cannot take the phone out of the field by itself. */
  RunSwitch() {
    this(() -> {});
  }

  /**
   * @param leaveField takes the phone out of the field and brings it back, called from the thread
   *     that answered when the phone left the field by itself ({@code leave-field-mid-stream})
   */
  RunSwitch(Runnable leaveField) {
    this.leaveField = leaveField;
  }

  /** The next pairing; until the first, the phone answers nothing (the vehicle sees it silent). */
  synchronized void switchTo(PhoneRun next) {
    run = next;
    if (powered) {
      next.card().activate();
    }
  }

  /** The pairing in progress, if any. */
  synchronized PhoneRun current() {
    return run;
  }

  /** The host failed: the pairing in progress hears it (ERROR), if there is one. */
  void failed(String cause) {
    PhoneRun target = current();
    if (target != null) {
      target.hostFailed(cause);
    }
  }

  @Override
  public synchronized void activate() {
    powered = true;
    if (run != null) {
      run.card().activate();
    }
  }

  @Override
  public synchronized byte[] process(byte[] command) {
    if (run == null) {
      return null;
    }
    byte[] response = run.card().process(command);
    if (response == null && run.hasLeftField()) {
      leaveField.run();
    }
    return response;
  }

  @Override
  public synchronized void deactivate() {
    powered = false;
    if (run != null) {
      run.card().deactivate();
    }
  }
}
