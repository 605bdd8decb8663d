package dev.dkrig.phone.host;

import dev.dkrig.phone.PhoneRun;

/**
 * What carries the phone to the vehicle's field: a pcscd slot through vpcd ({@link VpcdPhoneHost})
 * or a PN532 board in card emulation ({@link Pn532PhoneHost}). One host serves the pairings of a
 * session one after another ({@code --repeat}); a failure of the host's own transport goes to the
 * pairing in progress as {@link PhoneRun#hostFailed} (ERROR, docs/phone-role.md), never as a field
 * loss.
 */
public interface PhoneHost extends AutoCloseable {

  /** Where the phone sits, for reports: {@code vpcd 127.0.0.1:35963}, a serial port. */
  String description();

  /**
   * Prepares the transport before the first pairing's evidence opens, so that its preamble names it
   * (a PN532's firmware); a failure is kept for the first pairing ({@link #serve}). Does nothing by
   * default.
   */
  default void open() {}

  /**
   * Serves {@code run}'s card from now on: the first call starts the host, later ones hand the
   * field to the next pairing. A host that cannot start tells {@code run.hostFailed}.
   */
  void serve(PhoneRun run);

  /** Takes the phone out of the field for good and releases the transport. Never throws. */
  @Override
  void close();
}
