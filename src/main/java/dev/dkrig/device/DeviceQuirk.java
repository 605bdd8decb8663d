package dev.dkrig.device;

import java.util.Arrays;
import java.util.Locale;

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
  OFFER_APPLET_WITHOUT_KEY("SELECT applet is answered 9000 while no DK is committed (§18.16)");

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
