package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The public values both sides of a standard transaction hold once AUTH0 has been answered (§11.2):
 * everything key derivation (§11.3) and the signatures (§11.4) need besides the private keys.
 *
 * @param agreedVersion the AUTH0 {@code 5C} version
 * @param vehicleEphemeralPublicKey {@code vePK}, 65 bytes
 * @param deviceEphemeralPublicKey {@code dePK}, 65 bytes
 * @param transactionId {@code txid}, 16 bytes
 * @param vehicleIdentifier 8 bytes
 * @param kdfDeviceVersionList the device's applet versions to append to {@code info} as {@code 5C
 *     <len> <list>} (Home-Key style, §11.3), or empty for the profile's default of appending
 *     nothing
 */
public record TransactionContext(
    int agreedVersion,
    byte[] vehicleEphemeralPublicKey,
    byte[] deviceEphemeralPublicKey,
    byte[] transactionId,
    byte[] vehicleIdentifier,
    Optional<List<Integer>> kdfDeviceVersionList) {

  public TransactionContext {
    if (agreedVersion < 0 || agreedVersion > 0xFFFF) {
      throw new IllegalArgumentException("agreed version out of range: " + agreedVersion);
    }
    vehicleEphemeralPublicKey =
        Bytes.copyOfLength(vehicleEphemeralPublicKey, P256.POINT_LENGTH, "vehicle ephemeral key");
    deviceEphemeralPublicKey =
        Bytes.copyOfLength(deviceEphemeralPublicKey, P256.POINT_LENGTH, "device ephemeral key");
    transactionId =
        Bytes.copyOfLength(
            transactionId, Auth0Command.TRANSACTION_ID_LENGTH, "transaction identifier");
    vehicleIdentifier =
        Bytes.copyOfLength(
            vehicleIdentifier, Auth0Command.VEHICLE_IDENTIFIER_LENGTH, "vehicle identifier");
    kdfDeviceVersionList = kdfDeviceVersionList.map(List::copyOf);
    kdfDeviceVersionList.ifPresent(TransactionContext::checkVersionList);
  }

  /**
   * The context of a transaction, with the device version list appended to {@code info} exactly
   * when the switch {@code dka.kdfAppendDeviceVersionList} is on (§11.3, §16).
   *
   * @param deviceVersions the device's applet versions: the SELECT applet {@code 5C} list on the
   *     vehicle, its own list on the device
   */
  public static TransactionContext of(
      Auth0Command auth0, Auth0Response response, List<Integer> deviceVersions) {
    return new TransactionContext(
        auth0.agreedVersion(),
        auth0.vehicleEphemeralPublicKey(),
        response.deviceEphemeralPublicKey(),
        auth0.transactionId(),
        auth0.vehicleIdentifier(),
        DkProfile.DKA_KDF_APPEND_DEVICE_VERSION_LIST
            ? Optional.of(deviceVersions)
            : Optional.empty());
  }

  @Override
  public byte[] vehicleEphemeralPublicKey() {
    return vehicleEphemeralPublicKey.clone();
  }

  @Override
  public byte[] deviceEphemeralPublicKey() {
    return deviceEphemeralPublicKey.clone();
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }

  @Override
  public byte[] vehicleIdentifier() {
    return vehicleIdentifier.clone();
  }

  /** {@code vePK.x}, 32 bytes. */
  public byte[] vehicleEphemeralX() {
    return P256.x(vehicleEphemeralPublicKey);
  }

  /** {@code dePK.x}, 32 bytes. */
  public byte[] deviceEphemeralX() {
    return P256.x(deviceEphemeralPublicKey);
  }

  private static void checkVersionList(List<Integer> versions) {
    // 5C carries 2 bytes per version and must fit the contract's length forms (§0).
    if (versions.isEmpty() || versions.size() > 0x7FFF) {
      throw new IllegalArgumentException("device version list must hold 1 to 32767 versions");
    }
    for (int version : versions) {
      if (version < 0 || version > 0xFFFF) {
        throw new IllegalArgumentException("version out of range: " + version);
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TransactionContext that
        && agreedVersion == that.agreedVersion
        && Arrays.equals(vehicleEphemeralPublicKey, that.vehicleEphemeralPublicKey)
        && Arrays.equals(deviceEphemeralPublicKey, that.deviceEphemeralPublicKey)
        && Arrays.equals(transactionId, that.transactionId)
        && Arrays.equals(vehicleIdentifier, that.vehicleIdentifier)
        && kdfDeviceVersionList.equals(that.kdfDeviceVersionList);
  }

  @Override
  public int hashCode() {
    int hash = agreedVersion;
    hash = 31 * hash + Arrays.hashCode(vehicleEphemeralPublicKey);
    hash = 31 * hash + Arrays.hashCode(deviceEphemeralPublicKey);
    hash = 31 * hash + Arrays.hashCode(transactionId);
    hash = 31 * hash + Arrays.hashCode(vehicleIdentifier);
    return 31 * hash + kdfDeviceVersionList.hashCode();
  }

  @Override
  public String toString() {
    return "TransactionContext[version="
        + Hex.u16(agreedVersion)
        + ", vePK="
        + Hex.encode(vehicleEphemeralPublicKey)
        + ", dePK="
        + Hex.encode(deviceEphemeralPublicKey)
        + ", txid="
        + Hex.encode(transactionId)
        + ", vehicleIdentifier="
        + Hex.encode(vehicleIdentifier)
        + kdfDeviceVersionList.map(v -> ", kdfDeviceVersions=" + Versions.format(v)).orElse("")
        + "]";
  }
}
