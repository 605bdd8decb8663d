package dev.dkrig.phone.host;

import dev.dkrig.phone.PhoneRun;
import java.util.Optional;

/**
 * What carries the phone to the vehicle's field: a pcscd slot through vpcd ({@link VpcdPhoneHost})
 * or a PN532 board in card emulation ({@link Pn532PhoneHost}), for {@code dkrig phone} and for the
 * vehicle conformance suite ({@code suite --role phone}) alike. One host serves the pairings of a
 * session (or the scenarios of a suite) one after another; a failure of the host's own transport
 * goes to the phone in the field as {@link HostedPhone#hostFailed} (ERROR, docs/phone-role.md),
 * never as a field loss.
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
   * Serves {@code phone}'s card from now on: the first call starts the host, later ones hand the
   * field to the next phone (activated at once if the field is on). A host that cannot start tells
   * {@code phone.hostFailed}.
   */
  void serve(HostedPhone phone);

  /** Serves one {@code dkrig phone} pairing ({@link #serve(HostedPhone)}). */
  default void serve(PhoneRun run) {
    serve(HostedPhone.of(run));
  }

  /**
   * Why the transport cannot be used, once {@link #open} has found it so (a PN532 board that cannot
   * be opened); empty while it can, or when the host finds out only by serving (vpcd).
   */
  default Optional<String> failure() {
    return Optional.empty();
  }

  /** Takes the phone out of the field for good and releases the transport. Never throws. */
  @Override
  void close();
}
