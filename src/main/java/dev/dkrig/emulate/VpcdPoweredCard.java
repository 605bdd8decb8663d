package dev.dkrig.emulate;

import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The card as {@link VpcdCardServer} drives it: powered up and down by vpcd's control bytes, and
 * asked for answers vpcd can carry; a card that throws is logged and stays silent, never stops the
 * server. Used by the server thread only.
 */
final class VpcdPoweredCard {
  // The server's logger: these lines read as the server's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(VpcdCardServer.class);

  private final ContactlessCard card;
  private final VpcdEndpoint endpoint;
  private boolean powered;

  VpcdPoweredCard(ContactlessCard card, VpcdEndpoint endpoint) {
    this.card = card;
    this.endpoint = endpoint;
  }

  void powerUp() {
    try {
      card.activate();
    } catch (RuntimeException e) {
      LOG.error("vpcd {}: the card failed to activate", endpoint, e);
    }
    powered = true;
  }

  /** Deactivates the card if it is powered; does nothing otherwise. */
  void powerDown() {
    if (!powered) {
      return;
    }
    powered = false;
    try {
      card.deactivate();
    } catch (RuntimeException e) {
      LOG.error("vpcd {}: the card failed to deactivate", endpoint, e);
    }
  }

  /** The card's answer; a card that throws or answers nothing at all counts as silent. */
  byte[] process(byte[] command) {
    byte[] response;
    try {
      response = card.process(command.clone());
    } catch (RuntimeException e) {
      LOG.error(
          "vpcd {}: the card failed on {}; it stays silent", endpoint, Hex.encode(command), e);
      return null;
    }
    if (response != null && (response.length == 0 || response.length > 0xFFFF)) {
      LOG.error(
          "vpcd {}: the card answered {} bytes, which vpcd cannot carry; it stays silent",
          endpoint,
          response.length);
      return null;
    }
    return response;
  }
}
