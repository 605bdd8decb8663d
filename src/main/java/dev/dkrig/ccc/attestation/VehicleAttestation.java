package dev.dkrig.ccc.attestation;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The signed content of the vehicle attestation 5F5A (§9): format {@code 01}, vehicle identifier,
 * DK identifier, endpoint public point and attestation time, 102 bytes, followed on the wire by the
 * vehicle's signature {@code r ‖ s} over them (166 bytes in all).
 *
 * <p>The vehicle {@linkplain #sign signs} it in transaction 2 (P2.7); the device stores it
 * unparsed; the simulated KTS {@linkplain #parse parses} and {@linkplain Signed#verify verifies} it
 * before issuing a receipt.
 *
 * @param vehicleIdentifier 8 bytes
 * @param dkIdentifier 20 bytes, SHA-1 of the endpoint public point (§1)
 * @param endpointPublicKey the 65-byte endpoint public point
 * @param attestationTime Unix seconds, an unsigned 64-bit value
 */
public record VehicleAttestation(
    byte[] vehicleIdentifier, byte[] dkIdentifier, byte[] endpointPublicKey, long attestationTime) {

  /** The 5F5A tag (§9, §18.8). */
  public static final int TAG = 0x5F5A;

  public static final int SIGNED_LENGTH = 102;
  public static final int LENGTH = SIGNED_LENGTH + Ecdsa.RAW_SIGNATURE_LENGTH;

  private static final int VEHICLE_IDENTIFIER_LENGTH = 8;
  private static final int DK_IDENTIFIER_LENGTH = 20;

  public VehicleAttestation {
    vehicleIdentifier =
        Bytes.copyOfLength(vehicleIdentifier, VEHICLE_IDENTIFIER_LENGTH, "vehicle identifier");
    dkIdentifier = Bytes.copyOfLength(dkIdentifier, DK_IDENTIFIER_LENGTH, "DK identifier");
    endpointPublicKey =
        Bytes.copyOfLength(endpointPublicKey, P256.POINT_LENGTH, "endpoint public key");
  }

  /** The attestation of an endpoint key, its DK identifier computed as SHA-1 of the point (§1). */
  public static VehicleAttestation forEndpoint(
      byte[] vehicleIdentifier, byte[] endpointPublicKey, long attestationTime) {
    return new VehicleAttestation(
        vehicleIdentifier, Crypto.sha1(endpointPublicKey), endpointPublicKey, attestationTime);
  }

  @Override
  public byte[] vehicleIdentifier() {
    return vehicleIdentifier.clone();
  }

  @Override
  public byte[] dkIdentifier() {
    return dkIdentifier.clone();
  }

  @Override
  public byte[] endpointPublicKey() {
    return endpointPublicKey.clone();
  }

  /** Bytes 0–101 of §9, the part the signature covers. */
  public byte[] signedBytes() {
    return new Bytes.Builder()
        .add(DkProfile.ATTESTATION_FORMAT)
        .add(vehicleIdentifier)
        .add(dkIdentifier)
        .add(endpointPublicKey)
        .add(Bytes.u64(attestationTime))
        .build();
  }

  /** Signs with {@code vehicle.SK} (RFC 6979, §18.21); the result encodes to 166 bytes. */
  public Signed sign(EcKeyPair vehicleKey) {
    return new Signed(this, Ecdsa.sign(vehicleKey, signedBytes()));
  }

  /**
   * Strictly parses the 166-byte 5F5A value: exact length, format {@code 01}, a valid endpoint
   * point (§5.3).
   *
   * @throws CccException MALFORMED for the length or format byte, INVALID_POINT for the point
   */
  public static Signed parse(byte[] value) {
    if (value.length != LENGTH) {
      throw CccException.malformed(
          "5F5A: " + value.length + " bytes, expected " + LENGTH + " (§9)");
    }
    if ((value[0] & 0xFF) != DkProfile.ATTESTATION_FORMAT) {
      throw CccException.malformed("5F5A: format " + Hex.u8(value[0] & 0xFF) + ", expected 01");
    }
    byte[] endpoint = Bytes.range(value, 29, 94);
    P256.decodePoint(endpoint);
    VehicleAttestation attestation =
        new VehicleAttestation(
            Bytes.range(value, 1, 9), Bytes.range(value, 9, 29), endpoint, Bytes.u64(value, 94));
    return new Signed(attestation, Bytes.range(value, SIGNED_LENGTH, LENGTH));
  }

  /**
   * Parses the whole TLV {@code 5F5A 81 A6 <166 bytes>}.
   *
   * @throws CccException MALFORMED when the bytes are not exactly one 5F5A TLV, or as {@link
   *     #parse}
   */
  public static Signed parseTlv(byte[] tlvBytes) {
    try {
      List<Tlv> tlvs = Tlv.parseAll(tlvBytes);
      if (tlvs.size() != 1 || tlvs.get(0).tag() != TAG) {
        throw CccException.malformed("5F5A: expected exactly one 5F5A TLV");
      }
      return parse(tlvs.get(0).value());
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VehicleAttestation that
        && Arrays.equals(signedBytes(), that.signedBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signedBytes());
  }

  @Override
  public String toString() {
    return "VehicleAttestation[vehicleIdentifier="
        + Hex.encode(vehicleIdentifier)
        + ", dkIdentifier="
        + Hex.encode(dkIdentifier)
        + ", endpointPublicKey="
        + Hex.encode(endpointPublicKey)
        + ", attestationTime="
        + Long.toUnsignedString(attestationTime)
        + "]";
  }

  /**
   * An attestation with its signature, the 166-byte 5F5A value.
   *
   * @param attestation the signed content
   * @param signature raw {@code r ‖ s} by {@code vehicle.SK}
   */
  public record Signed(VehicleAttestation attestation, byte[] signature) {

    public Signed {
      signature = Bytes.copyOfLength(signature, Ecdsa.RAW_SIGNATURE_LENGTH, "signature");
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /** The 166-byte value of §9. */
    public byte[] encode() {
      return Bytes.concat(attestation.signedBytes(), signature);
    }

    /** {@code 5F5A 81 A6 <166 bytes>}, as written in transaction 2 (§18.8). */
    public Tlv toTlv() {
      return Tlv.of(TAG, encode());
    }

    /**
     * The simulated KTS's check (§9): the signature verifies under the public key of K, then the
     * identifiers are the expected ones.
     *
     * @throws CccException VERIFICATION for the signature, MISMATCH for an identifier
     */
    public void verify(
        ECPoint vehiclePublicKey, byte[] expectedVehicleIdentifier, byte[] expectedDkIdentifier) {
      if (!Ecdsa.verify(vehiclePublicKey, attestation.signedBytes(), signature)) {
        throw new CccException(
            CccException.Failure.VERIFICATION, "5F5A: signature does not verify under vehicle.PK");
      }
      if (!Arrays.equals(attestation.vehicleIdentifier, expectedVehicleIdentifier)) {
        throw new CccException(
            CccException.Failure.MISMATCH,
            "5F5A: vehicle identifier "
                + Hex.encode(attestation.vehicleIdentifier)
                + ", expected "
                + Hex.encode(expectedVehicleIdentifier));
      }
      if (!Arrays.equals(attestation.dkIdentifier, expectedDkIdentifier)) {
        throw new CccException(
            CccException.Failure.MISMATCH,
            "5F5A: DK identifier "
                + Hex.encode(attestation.dkIdentifier)
                + ", expected "
                + Hex.encode(expectedDkIdentifier));
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Signed that && Arrays.equals(encode(), that.encode());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
      return "VehicleAttestation.Signed[" + Hex.encode(encode()) + "]";
    }
  }
}
