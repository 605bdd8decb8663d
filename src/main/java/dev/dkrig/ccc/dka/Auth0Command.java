package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * AUTH0, the first command of a standard transaction (§3.4, §11.2): {@code 80 80 00 00 63 5C 02
 * <ver> 87 41 <vePK> 4C 10 <txid> 4D 08 <vehicle_identifier> 00}.
 *
 * <p>The vehicle builds it with {@link #toApdu()}; the device reads it with {@link #parse}. Header
 * checks (CLA, INS, P1/P2) belong to the device's dispatcher, which answers them with the status
 * words of §18.10 before the content is looked at.
 *
 * @param agreedVersion the DK applet version agreed in §4 ({@code 5C}, 2 bytes)
 * @param vehicleEphemeralPublicKey the 65-byte {@code vePK} ({@code 87})
 * @param transactionId the 16-byte {@code txid} ({@code 4C})
 * @param vehicleIdentifier the 8-byte vehicle_identifier ({@code 4D})
 */
public record Auth0Command(
    int agreedVersion,
    byte[] vehicleEphemeralPublicKey,
    byte[] transactionId,
    byte[] vehicleIdentifier) {

  /** §3.4 [CCC]. */
  public static final int CLA = 0x80;

  public static final int INS = 0x80;
  public static final int TRANSACTION_ID_LENGTH = 16;
  public static final int VEHICLE_IDENTIFIER_LENGTH = 8;

  static final int TAG_VERSION = 0x5C;
  static final int TAG_VEHICLE_EPHEMERAL_KEY = 0x87;
  static final int TAG_TRANSACTION_ID = 0x4C;
  static final int TAG_VEHICLE_IDENTIFIER = 0x4D;

  public Auth0Command {
    if (agreedVersion < 0 || agreedVersion > 0xFFFF) {
      throw new IllegalArgumentException("agreed version out of range: " + agreedVersion);
    }
    vehicleEphemeralPublicKey =
        Bytes.copyOfLength(vehicleEphemeralPublicKey, P256.POINT_LENGTH, "vehicle ephemeral key");
    transactionId =
        Bytes.copyOfLength(transactionId, TRANSACTION_ID_LENGTH, "transaction identifier");
    vehicleIdentifier =
        Bytes.copyOfLength(vehicleIdentifier, VEHICLE_IDENTIFIER_LENGTH, "vehicle identifier");
  }

  @Override
  public byte[] vehicleEphemeralPublicKey() {
    return vehicleEphemeralPublicKey.clone();
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }

  @Override
  public byte[] vehicleIdentifier() {
    return vehicleIdentifier.clone();
  }

  /** The 99-byte command data, TLVs in the order of §11.2. */
  public byte[] data() {
    return Tlv.encodeAll(
        List.of(
            Tlv.of(TAG_VERSION, Bytes.u16(agreedVersion)),
            Tlv.of(TAG_VEHICLE_EPHEMERAL_KEY, vehicleEphemeralPublicKey),
            Tlv.of(TAG_TRANSACTION_ID, transactionId),
            Tlv.of(TAG_VEHICLE_IDENTIFIER, vehicleIdentifier)));
  }

  /** Case 4 with Le = {@code 00} (§3.2); P1 P2 = {@code 00 00}, no fast cryptogram (§11.2). */
  public CommandApdu toApdu() {
    return CommandApdu.of(CLA, INS, DkProfile.AUTH0_P1, DkProfile.AUTH0_P2, data());
  }

  /**
   * Device side of §11.2: the four TLVs in this order with these lengths, nothing else, and a valid
   * {@code 87} point (§5.3). The command may come with or without Le (§3.2).
   *
   * @throws CccException MALFORMED for the TLV rules, INVALID_POINT for {@code 87}; the device
   *     answers both with {@code 6A80}
   */
  public static Auth0Command parse(CommandApdu command) {
    try {
      // A vehicle-to-device object: unknown or misordered tags are rejected (§0).
      TlvList tlvs =
          TlvList.parseExact(
              command.data(),
              "AUTH0",
              TAG_VERSION,
              TAG_VEHICLE_EPHEMERAL_KEY,
              TAG_TRANSACTION_ID,
              TAG_VEHICLE_IDENTIFIER);
      byte[] version = tlvs.require(TAG_VERSION, 2, "AUTH0");
      byte[] vePk = tlvs.require(TAG_VEHICLE_EPHEMERAL_KEY, P256.POINT_LENGTH, "AUTH0");
      byte[] txid = tlvs.require(TAG_TRANSACTION_ID, TRANSACTION_ID_LENGTH, "AUTH0");
      byte[] vehicleId = tlvs.require(TAG_VEHICLE_IDENTIFIER, VEHICLE_IDENTIFIER_LENGTH, "AUTH0");
      P256.decodePoint(vePk);
      return new Auth0Command(Bytes.u16(version, 0), vePk, txid, vehicleId);
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /**
   * {@link #parse(CommandApdu)} plus the version rule of §11.2: {@code 5C} must be one of the
   * device's applet versions.
   *
   * @throws CccException MALFORMED for an unsupported version (the device answers {@code 6A80},
   *     §3.5), or as {@link #parse(CommandApdu)}
   */
  public static Auth0Command parse(CommandApdu command, Collection<Integer> deviceVersions) {
    Auth0Command auth0 = parse(command);
    if (!deviceVersions.contains(auth0.agreedVersion())) {
      throw CccException.malformed(
          "AUTH0: version " + Hex.u16(auth0.agreedVersion()) + " is not in the device's list");
    }
    return auth0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Auth0Command that && Arrays.equals(data(), that.data());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data());
  }

  @Override
  public String toString() {
    return "Auth0Command["
        + "version="
        + Hex.u16(agreedVersion)
        + ", vePK="
        + Hex.encode(vehicleEphemeralPublicKey)
        + ", txid="
        + Hex.encode(transactionId)
        + ", vehicleIdentifier="
        + Hex.encode(vehicleIdentifier)
        + "]";
  }
}
