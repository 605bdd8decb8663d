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
  WRONG_VEHICLE_ID_IN_CERTIFICATE("the endpoint certificate H names another vehicle identifier");

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
