package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;
import java.util.List;

/**
 * SPAKE2+ REQUEST (§3.3): {@code 5B 02 <ver>}, {@code 5C 2m <list>}, {@code 7F50 {C0 salt, C1 N, C2
 * r, C3 p}}, {@code D6 02 <brand>}, in this order.
 */
public record Spake2Request(
    int spake2Version, List<Integer> appletVersions, ScryptParameters scrypt, byte[] brand) {

  public Spake2Request {
    appletVersions = List.copyOf(appletVersions);
    brand = brand.clone();
    if (brand.length != 2) {
      throw new IllegalArgumentException("brand must be 2 bytes");
    }
    if (appletVersions.isEmpty()
        || appletVersions.size() > DkProfile.MAX_APPLET_VERSIONS_IN_REQUEST) {
      throw new IllegalArgumentException("REQUEST carries 1 to 7 applet versions (§4)");
    }
  }

  @Override
  public byte[] brand() {
    return brand.clone();
  }

  /** The agreed DK applet version: the first 5C entry (§4). */
  public int agreedAppletVersion() {
    return appletVersions.get(0);
  }

  /** {@code 5B TLV ‖ 5C TLV}, the SPAKE2+ AAD (§5.4). */
  public byte[] aad() {
    return Bytes.concat(
        Tlv.of(0x5B, Bytes.u16(spake2Version)).encode(),
        Tlv.of(0x5C, Versions.encode(appletVersions)).encode());
  }

  public byte[] data() {
    Tlv scryptTlv =
        Tlv.of(
            0x7F50,
            Tlv.of(0xC0, scrypt.salt()),
            Tlv.of(0xC1, Bytes.u32(scrypt.n())),
            Tlv.of(0xC2, Bytes.u16(scrypt.r())),
            Tlv.of(0xC3, Bytes.u16(scrypt.p())));
    return Bytes.concat(aad(), scryptTlv.encode(), Tlv.of(0xD6, brand).encode());
  }

  public CommandApdu toApdu() {
    return CommandApdu.of(Ins.CLA_PROPRIETARY, Ins.SPAKE2_REQUEST, 0x00, 0x00, data());
  }

  /**
   * Parses REQUEST data on the device side. Every data error is reported as MALFORMED, answered
   * {@code 6A88} (§18.1); version membership is checked by the device against its own lists.
   */
  public static Spake2Request parse(byte[] data) {
    try {
      TlvList list = TlvList.parseExact(data, "SPAKE2+ REQUEST", 0x5B, 0x5C, 0x7F50, 0xD6);
      byte[] version = list.require(0x5B, 2, "SPAKE2+ REQUEST");
      byte[] applets = list.require(0x5C, "SPAKE2+ REQUEST");
      if (applets.length < 2 || applets.length > 14 || applets.length % 2 != 0) {
        throw CccException.malformed("SPAKE2+ REQUEST: 5C has length " + applets.length);
      }
      TlvList scrypt =
          TlvList.parseExact(
              list.require(0x7F50, "SPAKE2+ REQUEST"),
              "SPAKE2+ REQUEST 7F50",
              0xC0,
              0xC1,
              0xC2,
              0xC3);
      byte[] salt = scrypt.require(0xC0, DkProfile.SALT_LENGTH, "7F50");
      long n = Bytes.u32(scrypt.require(0xC1, 4, "7F50"), 0);
      int r = Bytes.u16(scrypt.require(0xC2, 2, "7F50"), 0);
      int p = Bytes.u16(scrypt.require(0xC3, 2, "7F50"), 0);
      if (n == 0 || r == 0 || p == 0) {
        throw CccException.malformed("SPAKE2+ REQUEST: zero scrypt parameter");
      }
      ScryptParameters parameters = new ScryptParameters(salt, n, r, p).validate();
      return new Spake2Request(
          Bytes.u16(version, 0),
          Versions.decode(applets, "5C"),
          parameters,
          list.require(0xD6, 2, "SPAKE2+ REQUEST"));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Spake2Request that && Arrays.equals(data(), that.data());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data());
  }

  @Override
  public String toString() {
    return "Spake2Request[5B "
        + dev.dkrig.iso7816.Hex.u16(spake2Version)
        + ", 5C "
        + Versions.format(appletVersions)
        + ", "
        + scrypt
        + "]";
  }
}
