package dev.dkrig.pairing;

import java.util.Arrays;
import java.util.Locale;

/**
 * A named way for dkrig's own vehicle to break the contract on purpose ({@code dkrig pair
 * --vehicle-quirk QUIRK}), so that a vehicle conformance suite can show each of its scenarios FAILs
 * the vehicle it should (issue 19). A vehicle with no quirk follows the contract. The run's report
 * says what the vehicle really did: a skipped abort is not reported as sent.
 */
public enum VehicleQuirk {
  /** §2, §10.2: after a FAIL the abort is not sent (the step records that none went). */
  NO_ABORT("after a failure no abort is sent where §10.2 requires one"),
  /**
   * §10.2: the abort carries another reason code: {@code 00} instead of the right one, {@code 0B}
   * instead of {@code 00}.
   */
  WRONG_ABORT_CODE("after a failure the abort carries a wrong §10.2 reason code"),
  /**
   * §2 P2.1, §3.5: a SELECT framework answered {@code 6A82} ends the run (P2.1 FAIL) instead of an
   * NFC reset and a new SELECT after T_NotReadyRetry.
   */
  NO_RETRY_AFTER_6A82("a first SELECT answered 6A82 is not retried after T_NotReadyRetry (§2)"),
  /**
   * §5.4, §10.2: a wrong device evidence M2 is ignored and the pairing goes on with the derived
   * keys instead of the abort {@code 12 09}.
   */
  IGNORE_BAD_M2("a wrong SPAKE2+ M2 is ignored instead of aborting 12 09 (§5.4)"),
  /**
   * §12.2, §18.13: phase 4 keeps polling after T_KtsWait expired, for as long again, before it
   * gives up.
   */
  POLL_PAST_KTS_WAIT("phase 4 keeps polling past T_KtsWait, for as long again (§12.2)"),
  /**
   * §7.6: the creation-data stream goes in WRITE DATA pieces of {@link #SHORT_PIECE} bytes instead
   * of 239. A device accepts them (the stream is whole), so only a judge of the piece sizes can
   * tell: their Lc is the same 248 as a 239-byte piece's, after padding.
   */
  SHORT_WRITE_PIECES("the creation data goes in WRITE DATA pieces of 230 bytes, not 239 (§7.6)");

  /** The piece size of {@link #SHORT_WRITE_PIECES}: padded to 240 like a 239-byte piece. */
  public static final int SHORT_PIECE = 230;

  private final String description;

  VehicleQuirk(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The command-line name: {@code no-abort}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static VehicleQuirk parse(String name) {
    for (VehicleQuirk quirk : values()) {
      if (quirk.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return quirk;
      }
    }
    throw new IllegalArgumentException(
        "unknown vehicle quirk '"
            + name
            + "' (known: "
            + String.join(", ", Arrays.stream(values()).map(VehicleQuirk::cliName).toList())
            + ")");
  }
}
