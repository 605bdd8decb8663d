package dev.dkrig.ccc.kcd;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;

/**
 * 7F4E, the device configuration (§7.5): the 7F49 BLE parameters (vehicle IRK, identity address,
 * flags) and the D9 list of supported DK profiles.
 *
 * @param irk the 16-byte vehicle IRK
 * @param addressType {@code 00} public, {@code 01} random static
 * @param identityAddress 6 bytes, MSB first
 * @param flags bit 0 = the vehicle supports BLE
 * @param dkProfiles profile ids, ascending
 */
public record DeviceConfiguration(
    byte[] irk, int addressType, byte[] identityAddress, int flags, byte[] dkProfiles) {

  public static final int TAG = 0x7F4E;

  public DeviceConfiguration {
    irk = checkLength(irk, 16, "IRK");
    identityAddress = checkLength(identityAddress, 6, "identity address");
    if (addressType != 0x00 && addressType != 0x01) {
      throw CccException.malformed("7F49: address type " + Hex.u8(addressType) + " not 00/01");
    }
    if (flags < 0 || flags > 0xFF) {
      throw CccException.malformed("7F49: flags out of range");
    }
    dkProfiles = dkProfiles.clone();
    if (dkProfiles.length == 0) {
      throw CccException.malformed("D9: empty DK profile list");
    }
    for (int i = 1; i < dkProfiles.length; i++) {
      if ((dkProfiles[i] & 0xFF) <= (dkProfiles[i - 1] & 0xFF)) {
        throw CccException.malformed("D9: DK profile ids not ascending");
      }
    }
  }

  /** §7.5 defaults: with BLE, flags 01 and profiles 01 02; without, flags 00 and profile 01. */
  public static DeviceConfiguration of(
      byte[] irk, int addressType, byte[] identityAddress, boolean bleSupported) {
    return new DeviceConfiguration(
        irk,
        addressType,
        identityAddress,
        bleSupported ? 0x01 : 0x00,
        bleSupported ? Bytes.of(0x01, 0x02) : Bytes.of(0x01));
  }

  @Override
  public byte[] irk() {
    return irk.clone();
  }

  @Override
  public byte[] identityAddress() {
    return identityAddress.clone();
  }

  @Override
  public byte[] dkProfiles() {
    return dkProfiles.clone();
  }

  public Tlv toTlv() {
    Tlv ble =
        Tlv.of(
            0x7F49,
            Tlv.of(0x80, irk),
            Tlv.of(0x81, Bytes.concat(new byte[] {(byte) addressType}, identityAddress)),
            Tlv.of(0x82, new byte[] {(byte) flags}));
    return Tlv.of(TAG, ble, Tlv.of(0xD9, dkProfiles));
  }

  public static DeviceConfiguration parse(byte[] value) {
    try {
      TlvList outer = TlvList.parseExact(value, "7F4E", 0x7F49, 0xD9);
      TlvList ble = TlvList.parseExact(outer.require(0x7F49, "7F4E"), "7F49", 0x80, 0x81, 0x82);
      byte[] address = ble.require(0x81, 7, "7F49");
      return new DeviceConfiguration(
          ble.require(0x80, 16, "7F49"),
          address[0] & 0xFF,
          Bytes.range(address, 1, 7),
          ble.require(0x82, 1, "7F49")[0] & 0xFF,
          outer.require(0xD9, "7F4E"));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  private static byte[] checkLength(byte[] value, int length, String what) {
    if (value.length != length) {
      throw CccException.malformed(
          "7F49: " + what + " has length " + value.length + ", expected " + length);
    }
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceConfiguration that
        && Arrays.equals(toTlv().encode(), that.toTlv().encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toTlv().encode());
  }

  @Override
  public String toString() {
    return "DeviceConfiguration[" + Hex.encode(toTlv().encode()) + "]";
  }
}
