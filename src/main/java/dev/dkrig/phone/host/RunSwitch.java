package dev.dkrig.phone.host;

import dev.dkrig.iso7816.ContactlessCard;

/**
 * The card a host serves for a whole session: it passes the field to the phone in the field now, so
 * that {@code --repeat} (or the next scenario of a suite) takes the field over without the phone
 * being taken away. A phone that takes over while the field is on is activated first, as the field
 * it finds is on. A command is answered outside the switch's lock: a slow phone (the device quirk
 * {@code slower-than-t-apdu}), or one that hands a command on to its successor, never holds up the
 * switch to that successor.
 */
public final class RunSwitch implements ContactlessCard {
  private final Runnable leaveField;
  private HostedPhone phone;
  private boolean powered;

  /** A host that cannot take the phone out of the field by itself. */
  public RunSwitch() {
    this(() -> {});
  }

  /**
   * @param leaveField takes the phone out of the field and brings it back, called from the thread
   *     that answered when the phone left the field by itself ({@code leave-field-mid-stream})
   */
  public RunSwitch(Runnable leaveField) {
    this.leaveField = leaveField;
  }

  /** The next phone; until the first, nothing answers (the vehicle sees the phone silent). */
  public synchronized void switchTo(HostedPhone next) {
    phone = next;
    if (powered) {
      next.card().activate();
    }
  }

  /** The phone in the field, if any. */
  synchronized HostedPhone current() {
    return phone;
  }

  /** The host failed: the phone in the field hears it (ERROR), if there is one. */
  public void failed(String cause) {
    HostedPhone target = current();
    if (target != null) {
      target.hostFailed(cause);
    }
  }

  @Override
  public synchronized void activate() {
    powered = true;
    if (phone != null) {
      phone.card().activate();
    }
  }

  @Override
  public byte[] process(byte[] command) {
    HostedPhone target = current();
    if (target == null) {
      return null;
    }
    byte[] response = target.card().process(command);
    if (response == null && target.hasLeftField()) {
      leaveField.run();
    }
    return response;
  }

  @Override
  public synchronized void deactivate() {
    powered = false;
    if (phone != null) {
      phone.card().deactivate();
    }
  }
}
