package dev.dkrig.ble.bluez;

import java.util.Optional;

/**
 * What {@code dkrig doctor} reports about BlueZ: whether the adapter is there, powered (or
 * powerable) and offers LE advertising and a GATT server, and which address it would advertise
 * from. The levels map one to one onto the doctor's OK, WARN and PROBLEM.
 *
 * @param level how ready the bench is
 * @param finding one line: what was found
 * @param fix one line: what to do, when something is to be done
 */
public record BluezReadiness(Level level, String finding, Optional<String> fix) {

  /** How ready. */
  public enum Level {
    READY,
    /**
     * Advertising will work, but not as the contract asks (e.g. an address the device cannot
     * resolve).
     */
    WARN,
    NOT_READY
  }
}
