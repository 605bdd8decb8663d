package dev.dkrig.ble;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;

/**
 * The pairing-mode advertisement of §14.1: flags, the CCC service UUID FFF5 and the intent service
 * data with the brand; plus the GATT SPSM value (§14.2).
 */
public record AdvertisingData(byte[] brand, int spsm) {

  public AdvertisingData {
    brand = brand.clone();
    if (brand.length != 2) {
      throw new IllegalArgumentException("brand must be 2 bytes");
    }
  }

  @Override
  public byte[] brand() {
    return brand.clone();
  }

  /** The intent service data value: {@code 01 ‖ brand}. */
  public byte[] intentServiceData() {
    return Bytes.concat(new byte[] {(byte) DkProfile.BLE_INTENT_OWNER_PAIRING}, brand);
  }

  /** The 28 bytes on air, in the contract's order (§14.1, §17.4.12). */
  public byte[] advData() {
    // 128-bit UUIDs travel little-endian on air.
    byte[] uuid = Hex.decode(DkProfile.BLE_INTENT_SERVICE_UUID.replace("-", ""));
    byte[] uuid128LittleEndian = new byte[16];
    for (int i = 0; i < 16; i++) {
      uuid128LittleEndian[i] = uuid[15 - i];
    }
    return Bytes.concat(
        Hex.decode("020106"),
        Hex.decode("0303F5FF"),
        new byte[] {0x14, 0x21},
        uuid128LittleEndian,
        intentServiceData());
  }

  public byte[] spsmValue() {
    return Bytes.u16(spsm);
  }
}
