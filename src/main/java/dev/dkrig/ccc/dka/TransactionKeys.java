package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Tlv;
import java.util.Arrays;

/**
 * The keys of one standard transaction (§11.3): the ECDH secret {@code Z}, {@code Kdh}, the
 * secure-channel keys {@code Kenc}, {@code Kmac}, {@code Krmac} and {@code Kpersistent}. Both roles
 * derive the same values from a {@link TransactionContext} and their own ephemeral key.
 *
 * <p>All values are secrets: {@link #toString()} shows none of them.
 */
public final class TransactionKeys {
  /** §11.3: {@code Kdh} and {@code Kpersistent} are 32 bytes, the channel keys 16 each. */
  private static final int KDH_LENGTH = 32;

  private static final int CHANNEL_KEY_LENGTH = 16;
  private static final int PERSISTENT_LENGTH = 32;

  private final byte[] z;
  private final byte[] kdh;
  private final byte[] kenc;
  private final byte[] kmac;
  private final byte[] krmac;
  private final byte[] kpersistent;

  private TransactionKeys(TransactionContext context, byte[] z) {
    this.z = z.clone();
    this.kdh = Crypto.x963(z, context.transactionId(), KDH_LENGTH);
    byte[] volatileKeys =
        Crypto.hkdf(kdh, info(context, DkProfile.LABEL_VOLATILE), 3 * CHANNEL_KEY_LENGTH);
    this.kenc = Arrays.copyOfRange(volatileKeys, 0, CHANNEL_KEY_LENGTH);
    this.kmac = Arrays.copyOfRange(volatileKeys, CHANNEL_KEY_LENGTH, 2 * CHANNEL_KEY_LENGTH);
    this.krmac = Arrays.copyOfRange(volatileKeys, 2 * CHANNEL_KEY_LENGTH, 3 * CHANNEL_KEY_LENGTH);
    this.kpersistent =
        Crypto.hkdf(kdh, info(context, DkProfile.LABEL_PERSISTENT), PERSISTENT_LENGTH);
  }

  /**
   * The vehicle's derivation: {@code Z = (vehicle.eSK · dePK).x}.
   *
   * @throws IllegalArgumentException when the key pair is not the one whose public point is {@code
   *     vePK} in the context
   */
  public static TransactionKeys deriveByVehicle(
      TransactionContext context, EcKeyPair vehicleEphemeral) {
    requireOwnKey(vehicleEphemeral, context.vehicleEphemeralPublicKey(), "vehicle");
    byte[] z =
        P256.ecdhX(
            vehicleEphemeral.privateKey(), P256.decodePoint(context.deviceEphemeralPublicKey()));
    return new TransactionKeys(context, z);
  }

  /**
   * The device's derivation: {@code Z = (device.eSK · vePK).x}.
   *
   * @throws IllegalArgumentException when the key pair is not the one whose public point is {@code
   *     dePK} in the context
   */
  public static TransactionKeys deriveByDevice(
      TransactionContext context, EcKeyPair deviceEphemeral) {
    requireOwnKey(deviceEphemeral, context.deviceEphemeralPublicKey(), "device");
    byte[] z =
        P256.ecdhX(
            deviceEphemeral.privateKey(), P256.decodePoint(context.vehicleEphemeralPublicKey()));
    return new TransactionKeys(context, z);
  }

  /**
   * {@code info(label)} of §11.3: {@code vePK.x ‖ dePK.x ‖ txid ‖ 5E ‖ P1 ‖ P2 ‖ label ‖ 5C 02
   * <ver>}, 95 bytes for {@code Volatile} and 97 for {@code Persistent}, followed by {@code 5C
   * <len> <device list>} only when the context carries one (switch {@code
   * dka.kdfAppendDeviceVersionList}).
   */
  public static byte[] info(TransactionContext context, byte[] label) {
    Bytes.Builder out =
        new Bytes.Builder()
            .add(context.vehicleEphemeralX())
            .add(context.deviceEphemeralX())
            .add(context.transactionId())
            .add(DkProfile.INTERFACE_BYTE_NFC, DkProfile.AUTH0_P1, DkProfile.AUTH0_P2)
            .add(label)
            .add(Tlv.of(Auth0Command.TAG_VERSION, Bytes.u16(context.agreedVersion())).encode());
    context
        .kdfDeviceVersionList()
        .ifPresent(
            list -> out.add(Tlv.of(Auth0Command.TAG_VERSION, Versions.encode(list)).encode()));
    return out.build();
  }

  /** {@code Z}, the X coordinate of the ephemeral ECDH product, 32 bytes. */
  public byte[] z() {
    return z.clone();
  }

  /** {@code Kdh = SHA-256(Z ‖ 00000001 ‖ txid)}, 32 bytes. */
  public byte[] kdh() {
    return kdh.clone();
  }

  public byte[] kenc() {
    return kenc.clone();
  }

  public byte[] kmac() {
    return kmac.clone();
  }

  public byte[] krmac() {
    return krmac.clone();
  }

  /** Stored after a successful CONTROL FLOW (§11.8), not used further in v1. */
  public byte[] kpersistent() {
    return kpersistent.clone();
  }

  private static void requireOwnKey(EcKeyPair key, byte[] expectedPublic, String role) {
    if (!Arrays.equals(key.publicBytes(), expectedPublic)) {
      throw new IllegalArgumentException(
          "the " + role + " ephemeral key pair does not match the context's public point");
    }
  }

  @Override
  public String toString() {
    return "TransactionKeys[Z, Kdh, Kenc, Kmac, Krmac, Kpersistent: <redacted>]";
  }
}
