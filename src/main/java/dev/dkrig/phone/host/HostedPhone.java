package dev.dkrig.phone.host;

import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.phone.PhoneRun;

/**
 * What a {@link PhoneHost} carries into the vehicle's field: the phone's card, whether the phone
 * has just left the field by itself (the device quirk {@code leave-field-mid-stream}: the host
 * takes it off the reader as a hand would), and whom to tell when the host's own transport fails. A
 * {@code dkrig phone} pairing is one ({@link #of}); so is a scenario of the vehicle conformance
 * suite.
 */
public interface HostedPhone {

  /** The card the host passes the field and the commands to. */
  ContactlessCard card();

  /** Whether the phone left the field by itself with the answer it just gave (none). */
  boolean hasLeftField();

  /** The host's own transport failed (ERROR in the step in progress, docs/phone-role.md). */
  void hostFailed(String cause);

  /** One {@code dkrig phone} pairing. */
  static HostedPhone of(PhoneRun run) {
    return new HostedPhone() {
      @Override
      public ContactlessCard card() {
        return run.card();
      }

      @Override
      public boolean hasLeftField() {
        return run.hasLeftField();
      }

      @Override
      public void hostFailed(String cause) {
        run.hostFailed(cause);
      }
    };
  }
}
