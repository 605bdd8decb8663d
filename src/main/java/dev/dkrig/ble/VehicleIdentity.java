package dev.dkrig.ble;

import java.util.HexFormat;

/**
 * The vehicle's BLE identity as 7F49 hands it to the device (§7.5): the IRK from which the
 * vehicle's resolvable private addresses come, and the identity address the device falls back to
 * (§14.1). The advertiser compares them with what the adapter really uses.
 *
 * @param irk 16 bytes, in the order 7F49 carries them
 * @param addressType 0 public, 1 random static (7F49 tag 81)
 * @param identityAddress 6 bytes, most significant first (7F49 tag 81)
 */
public record VehicleIdentity(byte[] irk, int addressType, byte[] identityAddress) {
  private static final HexFormat ADDRESS = HexFormat.ofDelimiter(":").withUpperCase();

  public VehicleIdentity {
    irk = irk.clone();
    identityAddress = identityAddress.clone();
    if (irk.length != 16) {
      throw new IllegalArgumentException("IRK must be 16 bytes");
    }
    if (identityAddress.length != 6) {
      throw new IllegalArgumentException("identity address must be 6 bytes");
    }
    if (addressType != 0 && addressType != 1) {
      throw new IllegalArgumentException("address type must be 0 (public) or 1 (random static)");
    }
  }

  @Override
  public byte[] irk() {
    return irk.clone();
  }

  @Override
  public byte[] identityAddress() {
    return identityAddress.clone();
  }

  /** The identity address as BlueZ writes it: {@code AA:BB:CC:DD:EE:FF}. */
  public String identityAddressText() {
    return addressText(identityAddress);
  }

  /** Any Bluetooth device address, most significant byte first, as BlueZ writes it. */
  public static String addressText(byte[] address) {
    return ADDRESS.formatHex(address);
  }

  public String addressTypeText() {
    return addressType == 0 ? "public" : "random";
  }

  @Override
  public String toString() {
    return "VehicleIdentity[irk=<redacted>, "
        + addressTypeText()
        + " "
        + identityAddressText()
        + "]";
  }
}
