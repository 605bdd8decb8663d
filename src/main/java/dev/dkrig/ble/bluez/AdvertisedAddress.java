package dev.dkrig.ble.bluez;

import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ble.bluez.BluezHostFiles.Reading;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which address the advertisement goes out from (§14.1: a resolvable private address from the
 * vehicle IRK where the controller supports it, else the identity address of 7F49), as far as the
 * rig can tell.
 *
 * <p>BlueZ has no D-Bus API for it: {@code LEAdvertisement1} has no address property, {@code
 * Adapter1.Address}/{@code AddressType} always name the identity address ("with privacy enabled
 * this contains type of Identity Address"), and the current private address is visible only in HCI
 * traffic (btmon). Privacy is bluetoothd's start-up setting ({@code main.conf Privacy}) with the
 * IRK of the adapter's {@code identity} file, so the rig reads those files (see {@link
 * BluezHostFiles}).
 *
 * @param kind what kind of address
 * @param identityAddress the adapter's identity address ({@code Adapter1.Address})
 * @param identityType {@code public} or {@code random} ({@code Adapter1.AddressType})
 * @param text one line for the report: the kind, the evidence, and what to fix if anything
 */
public record AdvertisedAddress(
    Kind kind, String identityAddress, String identityType, String text) {

  /** The kinds of advertising address. */
  public enum Kind {
    /** Privacy off (or limited while discoverable): the adapter's identity address. */
    IDENTITY,
    /** Privacy on with the vehicle IRK in the adapter's identity file. */
    RESOLVABLE_PRIVATE_VEHICLE_IRK,
    /** Privacy on with another IRK: the device cannot resolve the address. */
    RESOLVABLE_PRIVATE_OTHER_IRK,
    /** Privacy on, and the IRK could not be checked (unreadable or no vehicle IRK given). */
    RESOLVABLE_PRIVATE_UNVERIFIED
  }

  /** True when the address is what §14.1 asks for, as far as the rig can see. */
  public boolean asContracted() {
    return kind == Kind.IDENTITY || kind == Kind.RESOLVABLE_PRIVATE_VEHICLE_IRK;
  }

  static AdvertisedAddress of(
      String address,
      String addressType,
      Reading<String> privacy,
      Reading<byte[]> irk,
      Optional<VehicleIdentity> vehicle) {
    String identity = address + " (" + addressType + ")";
    String setting =
        privacy instanceof Reading.Found<String> found
            ? "main.conf Privacy=" + found.value()
            : privacy instanceof Reading.Unreadable<String> u
                ? privacy.file() + " unreadable (" + u.reason() + ")"
                : "main.conf Privacy unset (off)";
    String mode = privacy instanceof Reading.Found<String> found ? found.value() : "off";
    Kind kind;
    String text;
    switch (mode) {
      case "device", "network", "on" -> {
        if (irk instanceof Reading.Found<byte[]> key && vehicle.isPresent()) {
          boolean same = Arrays.equals(key.value(), vehicle.get().irk());
          kind = same ? Kind.RESOLVABLE_PRIVATE_VEHICLE_IRK : Kind.RESOLVABLE_PRIVATE_OTHER_IRK;
          text =
              same
                  ? "resolvable private address from the vehicle IRK ("
                      + setting
                      + ", IRK in "
                      + key.file()
                      + "); identity "
                      + identity
                      + "; the kernel rotates it and BlueZ does not show it over D-Bus"
                  : "resolvable private address from an IRK that is not the vehicle's ("
                      + setting
                      + ", "
                      + key.file()
                      + "): the device cannot resolve it; write the 7F49 IRK there as"
                      + " IdentityResolvingKey and restart bluetoothd";
        } else {
          kind = Kind.RESOLVABLE_PRIVATE_UNVERIFIED;
          String why =
              irk instanceof Reading.Unreadable<byte[]> u
                  ? irk.file() + ": " + u.reason()
                  : irk instanceof Reading.Absent<byte[]>
                      ? irk.file() + " has no IdentityResolvingKey (bluetoothd makes one at start)"
                      : "no vehicle IRK to compare with";
          text =
              "resolvable private address ("
                  + setting
                  + ") from an IRK the rig could not check: "
                  + why
                  + "; identity "
                  + identity;
        }
      }
      case "limited-device", "limited-network" -> {
        kind = Kind.IDENTITY;
        text =
            "identity address "
                + identity
                + ": "
                + setting
                + " shows the identity address while an advertisement is discoverable";
      }
      default -> {
        kind = Kind.IDENTITY;
        text = "identity address " + identity + ": BlueZ privacy off (" + setting + ")";
      }
    }
    if (vehicle.isPresent() && !sameIdentity(address, addressType, vehicle.get())) {
      text +=
          "; 7F49 announces "
              + vehicle.get().identityAddressText()
              + " ("
              + vehicle.get().addressTypeText()
              + "), so the device will not recognise the vehicle by address";
    }
    return new AdvertisedAddress(kind, address, addressType, text);
  }

  private static boolean sameIdentity(String address, String type, VehicleIdentity vehicle) {
    return address.toUpperCase(Locale.ROOT).equals(vehicle.identityAddressText())
        && type.equals(vehicle.addressTypeText());
  }
}
