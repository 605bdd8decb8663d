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
  private PhoneRun run;
  private boolean powered;

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
    return run == null ? null : run.card().process(command);
  }

  @Override
  public synchronized void deactivate() {
    powered = false;
    if (run != null) {
      run.card().deactivate();
    }
  }
}
