package dev.dkrig.conformance.vehicle;

import dev.dkrig.iso7816.ContactlessCard;

/**
 * The card a host carries across scenarios: it stands for the phone of the scenario in progress. A
 * phone handed over while the field is on is activated at once, as a phone laid on a pad whose
 * field is on; the phone it replaces leaves the field.
 */
final class SwappableCard implements ContactlessCard {
  private ContactlessCard current;
  private boolean active;

  SwappableCard(ContactlessCard first) {
    this.current = first;
  }

  synchronized void swap(ContactlessCard next) {
    if (active) {
      current.deactivate();
      next.activate();
    }
    current = next;
  }

  @Override
  public synchronized void activate() {
    active = true;
    current.activate();
  }

  @Override
  public byte[] process(byte[] command) {
    ContactlessCard card;
    synchronized (this) {
      card = current;
    }
    // Outside the lock: a slow phone (quirk slower-than-t-apdu) must not block a swap's wait.
    return card.process(command);
  }

  @Override
  public synchronized void deactivate() {
    active = false;
    current.deactivate();
  }
}
