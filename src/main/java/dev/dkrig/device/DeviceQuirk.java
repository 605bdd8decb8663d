package dev.dkrig.device;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A named way for the virtual device to break the contract, so each vehicle-side check is proven
 * able to fail (`--device-quirk NAME`). A device with no quirk follows the contract.
 */
public enum DeviceQuirk {
  /**
   * AUTH1: the endpoint signature is made over the wrong input (§11.4), so the vehicle's check
   * fails.
   */
  BAD_ENDPOINT_SIGNATURE("the AUTH1 response carries an endpoint signature that does not verify"),
  /** AUTH1: key slot 4E is not the initial key slot of 7F4A (§11.5, §18.3). */
  WRONG_KEY_SLOT("the AUTH1 response carries a key slot other than 7F4A's"),
  /** Key creation: H's .5.4 extension carries a different vehicle identifier (§8.6). */
  WRONG_VEHICLE_ID_IN_CERTIFICATE("the endpoint certificate H names another vehicle identifier"),

  // The quirks below break a device-side rule, each proving a conformance scenario able to fail
  // (issue 8, dev.dkrig.conformance).

  /**
   * SPAKE2+ VERIFY: a wrong M1 (§5.4) or a Y that fails §5.3 is answered {@code 9000} with an M2
   * instead of {@code 6A88}; the device then waits in {@code SECURE} without usable keys.
   */
  ACCEPT_BAD_EVIDENCE("SPAKE2+ VERIFY is answered 9000 without checking Y (§5.3) and M1 (§5.4)"),
  /**
   * The framework skips the state checks of §3.6: VERIFY without REQUEST fails on its data ({@code
   * 6A88}), WRITE DATA runs after the end of the stream, {@code 10 01} creates the key again, GET
   * DATA runs before the key exists, GET RESPONSE without a chain answers an empty {@code 9000} and
   * {@code 11 11} commits a DK without the 5F5A of transaction 2.
   */
  IGNORE_ORDER("framework commands run in any state: the §3.6 state checks are skipped"),
  /** Secure messaging: a protected command whose C-MAC does not verify is accepted (§6.1). */
  ACCEPT_BAD_MAC("a protected command with a wrong C-MAC is accepted (§6.1)"),
  /** AUTH1: the vehicle signature is not verified, so a forged or replayed AUTH1 passes (§11.4). */
  ACCEPT_BAD_VEHICLE_SIGNATURE("AUTH1 is answered without verifying the vehicle signature (§11.4)"),
  /**
   * After a status word other than {@code 9000}/{@code 61XX}, and after an abort ({@code 12 xx}),
   * the device keeps its session keys, counter, MCV, state and partial stream instead of the Reset
   * of §3.5 and §3.6.
   */
  KEEP_KEYS_AFTER_ERROR(
      "session keys and state survive an error status word or an abort (no §3.5/§3.6 Reset)"),
  /** Transaction 2: a WRITE DATA stream without 5F5A is accepted (§18.8). */
  ACCEPT_MISSING_ATTESTATION("a transaction-2 stream without 5F5A is accepted (§18.8)"),
  /** WRITE DATA: the creation-data stream may grow without bound; never {@code 6A84} (§3.5). */
  ACCEPT_OVERSIZE_STREAM(
      "a creation-data stream of any length is accepted: never 6A84 (§3.5, §18.22)"),
  /**
   * SPAKE2+ REQUEST: the scrypt memory limit of §18.11 is not checked; the simulator answers with a
   * share computed at the test cost N = 4096 rather than exhaust its memory.
   */
  IGNORE_SCRYPT_LIMIT("a REQUEST above the §18.11 scrypt memory limit is answered 9000"),
  /** SPAKE2+ REQUEST: a 5B or first 5C version the device does not support is accepted (§4). */
  ACCEPT_UNSUPPORTED_VERSION(
      "a REQUEST with a 5B or first 5C version the device does not support is answered 9000"),
  /** SELECT applet: answered {@code 9000} while no DK is committed (§3.5, §18.16). */
  OFFER_APPLET_WITHOUT_KEY("SELECT applet is answered 9000 while no DK is committed (§18.16)"),

  // The quirks below make the phone misbehave so that a vehicle's reaction can be judged (issue 19
  // item 4, dkrig phone and suite --role phone); docs/phone-role.md names the reaction of each.

  /** SPAKE2+ VERIFY: answered {@code 9000} with an M2 that is not CMAC(K2, Y) (§5.4). */
  WRONG_M2("SPAKE2+ VERIFY is answered 9000 with a wrong M2 (§5.4)"),
  /**
   * The first WRITE DATA of transaction 1 is answered with an R-MAC that does not verify (§6.1).
   */
  BAD_FRAMEWORK_RMAC("the first creation-data WRITE DATA is answered with a wrong R-MAC (§6.1)"),
  /** GET DATA {@code 7F20}: H's signature does not verify under E, so the chain fails (§8.5). */
  UNVERIFIABLE_CHAIN("the endpoint certificate H read by GET DATA 7F20 carries a broken signature"),
  /** AUTH1: the response's R-MAC does not verify (§6.1, §11.6 step 1). */
  BAD_APPLET_RMAC("the AUTH1 response carries a wrong R-MAC (§6.1, §11.6)"),
  /** The device's first SELECT framework is answered {@code 6A82}, the next ones as usual (§2). */
  NOT_READY_FIRST_SELECT("the first SELECT framework is answered 6A82 (§2 P2.1, §3.5)"),
  /**
   * The phone leaves the field during the creation stream (before answering the second WRITE DATA
   * of transaction 1) and comes back when its host brings it back (§18.18).
   */
  LEAVE_FIELD_MID_STREAM("the phone leaves the field during the creation stream and returns"),
  /** SPAKE2+ REQUEST is answered later than T_Apdu (§13): the vehicle must abort {@code 04}. */
  SLOWER_THAN_T_APDU("the SPAKE2+ REQUEST is answered later than T_Apdu (§13)"),
  /** SELECT framework offers only SPAKE2+ versions the vehicle lacks (§4). */
  NO_COMMON_SPAKE2_VERSION("SELECT framework offers only SPAKE2+ version 0200 in 5A (§4)"),
  /** SELECT framework offers only DK applet versions the vehicle lacks (§4). */
  NO_COMMON_APPLET_VERSION("SELECT framework offers only applet version 0200 in 5C (§4)"),
  /** AUTH1: SigBmp bit 0 is never set, although the receipt is stored (§12.1, §12.2). */
  NEVER_SET_SIGBMP("SigBmp bit 0 is never set in an AUTH1 response (§12.2)");

  /**
   * The quirks of the phone role: each makes the phone misbehave in one way a vehicle must react to
   * (docs/phone-role.md, "Device quirks").
   */
  public static final Set<DeviceQuirk> PHONE_ROLE =
      Collections.unmodifiableSet(
          EnumSet.of(
              BAD_ENDPOINT_SIGNATURE,
              WRONG_KEY_SLOT,
              WRONG_VEHICLE_ID_IN_CERTIFICATE,
              WRONG_M2,
              BAD_FRAMEWORK_RMAC,
              UNVERIFIABLE_CHAIN,
              BAD_APPLET_RMAC,
              NOT_READY_FIRST_SELECT,
              LEAVE_FIELD_MID_STREAM,
              SLOWER_THAN_T_APDU,
              NO_COMMON_SPAKE2_VERSION,
              NO_COMMON_APPLET_VERSION,
              NEVER_SET_SIGBMP));

  private final String description;

  DeviceQuirk(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The command-line name: {@code bad-endpoint-signature}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static DeviceQuirk parse(String name) {
    for (DeviceQuirk quirk : values()) {
      if (quirk.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return quirk;
      }
    }
    throw new IllegalArgumentException(
        "unknown device quirk '"
            + name
            + "' (known: "
            + String.join(", ", Arrays.stream(values()).map(DeviceQuirk::cliName).toList())
            + ")");
  }
}
