package dev.dkrig.ccc.kts;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;
import java.util.List;

/**
 * The key-tracking receipt {@code R} inside a KTS_Response (§12.3 step 1): {@code 80 08
 * <vehicle_identifier> 81 14 <DK_identifier> 82 08 <issue time> 83 10 <receipt identifier> 84 L
 * <uiBundle>}, this order.
 *
 * @param vehicleIdentifier 8 bytes
 * @param dkIdentifier 20 bytes
 * @param issueTime Unix seconds, an unsigned 64-bit value
 * @param receiptIdentifier 16 bytes
 * @param uiBundle opaque, 0–1024 bytes
 */
public record ReceiptPlaintext(
    byte[] vehicleIdentifier,
    byte[] dkIdentifier,
    long issueTime,
    byte[] receiptIdentifier,
    byte[] uiBundle) {

  private static final int TAG_VEHICLE_IDENTIFIER = 0x80;
  private static final int TAG_DK_IDENTIFIER = 0x81;
  private static final int TAG_ISSUE_TIME = 0x82;
  private static final int TAG_RECEIPT_IDENTIFIER = 0x83;
  private static final int TAG_UI_BUNDLE = 0x84;

  private static final int VEHICLE_IDENTIFIER_LENGTH = 8;
  private static final int DK_IDENTIFIER_LENGTH = 20;
  private static final int ISSUE_TIME_LENGTH = 8;
  private static final int RECEIPT_IDENTIFIER_LENGTH = 16;

  public ReceiptPlaintext {
    vehicleIdentifier =
        Bytes.copyOfLength(vehicleIdentifier, VEHICLE_IDENTIFIER_LENGTH, "vehicle identifier");
    dkIdentifier = Bytes.copyOfLength(dkIdentifier, DK_IDENTIFIER_LENGTH, "DK identifier");
    receiptIdentifier =
        Bytes.copyOfLength(receiptIdentifier, RECEIPT_IDENTIFIER_LENGTH, "receipt identifier");
    if (uiBundle.length > DkProfile.MAX_UI_BUNDLE) {
      throw new IllegalArgumentException(
          "uiBundle of " + uiBundle.length + " bytes exceeds " + DkProfile.MAX_UI_BUNDLE);
    }
    uiBundle = uiBundle.clone();
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
  public byte[] receiptIdentifier() {
    return receiptIdentifier.clone();
  }

  @Override
  public byte[] uiBundle() {
    return uiBundle.clone();
  }

  public byte[] encode() {
    return Tlv.encodeAll(
        List.of(
            Tlv.of(TAG_VEHICLE_IDENTIFIER, vehicleIdentifier),
            Tlv.of(TAG_DK_IDENTIFIER, dkIdentifier),
            Tlv.of(TAG_ISSUE_TIME, Bytes.u64(issueTime)),
            Tlv.of(TAG_RECEIPT_IDENTIFIER, receiptIdentifier),
            Tlv.of(TAG_UI_BUNDLE, uiBundle)));
  }

  /**
   * §12.4 step 5: exactly the five TLVs, in order, with their lengths. The receipt has passed the
   * KTS signature and GCM already, so a wrong layout means a wrong configuration, not corruption.
   *
   * @throws CccException MISMATCH otherwise (abort {@code 0A})
   */
  public static ReceiptPlaintext parse(byte[] plaintext) {
    try {
      TlvList tlvs =
          TlvList.parseExact(
              plaintext,
              "receipt",
              TAG_VEHICLE_IDENTIFIER,
              TAG_DK_IDENTIFIER,
              TAG_ISSUE_TIME,
              TAG_RECEIPT_IDENTIFIER,
              TAG_UI_BUNDLE);
      byte[] uiBundle = tlvs.require(TAG_UI_BUNDLE, "receipt");
      if (uiBundle.length > DkProfile.MAX_UI_BUNDLE) {
        throw CccException.malformed(
            "receipt: uiBundle of "
                + uiBundle.length
                + " bytes exceeds "
                + DkProfile.MAX_UI_BUNDLE);
      }
      return new ReceiptPlaintext(
          tlvs.require(TAG_VEHICLE_IDENTIFIER, VEHICLE_IDENTIFIER_LENGTH, "receipt"),
          tlvs.require(TAG_DK_IDENTIFIER, DK_IDENTIFIER_LENGTH, "receipt"),
          Bytes.u64(tlvs.require(TAG_ISSUE_TIME, ISSUE_TIME_LENGTH, "receipt"), 0),
          tlvs.require(TAG_RECEIPT_IDENTIFIER, RECEIPT_IDENTIFIER_LENGTH, "receipt"),
          uiBundle);
    } catch (CccException | Iso7816Exception e) {
      throw new CccException(CccException.Failure.MISMATCH, "§12.4 step 5: " + e.getMessage(), e);
    }
  }

  /**
   * §12.4 step 6: {@code 80} is the vehicle's own identifier and {@code 81} the DK being paired.
   *
   * @throws CccException MISMATCH otherwise (abort {@code 0A})
   */
  public void checkIdentifiers(byte[] expectedVehicleIdentifier, byte[] expectedDkIdentifier) {
    if (!Arrays.equals(vehicleIdentifier, expectedVehicleIdentifier)) {
      throw new CccException(
          CccException.Failure.MISMATCH,
          "§12.4 step 6: receipt vehicle identifier "
              + Hex.encode(vehicleIdentifier)
              + ", expected "
              + Hex.encode(expectedVehicleIdentifier));
    }
    if (!Arrays.equals(dkIdentifier, expectedDkIdentifier)) {
      throw new CccException(
          CccException.Failure.MISMATCH,
          "§12.4 step 6: receipt DK identifier "
              + Hex.encode(dkIdentifier)
              + ", expected "
              + Hex.encode(expectedDkIdentifier));
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ReceiptPlaintext that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "ReceiptPlaintext[vehicleIdentifier="
        + Hex.encode(vehicleIdentifier)
        + ", dkIdentifier="
        + Hex.encode(dkIdentifier)
        + ", issueTime="
        + Long.toUnsignedString(issueTime)
        + ", receiptIdentifier="
        + Hex.encode(receiptIdentifier)
        + ", uiBundle="
        + Hex.encode(uiBundle)
        + "]";
  }
}
