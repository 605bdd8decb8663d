package dev.dkrig.device;

import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;

/**
 * What tests and reports may see of a committed Digital Key: identifiers, state and the
 * key-tracking status, never key material.
 *
 * @param vehicleIdentifier 16 upper-case hex digits
 * @param dkIdentifier SHA-1 of the endpoint public point (§1)
 * @param state CREATED or ACTIVE
 * @param agreedVersion the DK applet version agreed at pairing (7F4A {@code 5C})
 * @param receiptStored whether a KTS_Response is stored (it stays after delivery, §18.12)
 * @param sigBmp the SigBmp the next AUTH1 response carries (§12.1)
 */
public record DigitalKeyView(
    String vehicleIdentifier,
    DkIdentifier dkIdentifier,
    DkState state,
    int agreedVersion,
    boolean receiptStored,
    int sigBmp) {

  @Override
  public String toString() {
    return "DigitalKey[vehicle="
        + vehicleIdentifier
        + ", dk="
        + dkIdentifier
        + ", "
        + state
        + ", version="
        + Hex.u16(agreedVersion)
        + ", receipt="
        + (receiptStored ? "stored" : "none")
        + ", SigBmp="
        + Hex.u16(sigBmp)
        + "]";
  }
}
