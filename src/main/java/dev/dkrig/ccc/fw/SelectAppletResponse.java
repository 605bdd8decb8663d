package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.List;

/** The SELECT applet response (§3.4): {@code 5C} with the device's applet versions. */
public record SelectAppletResponse(List<Integer> appletVersions) {

  public SelectAppletResponse {
    appletVersions = List.copyOf(appletVersions);
  }

  public byte[] encode() {
    return Tlv.of(0x5C, Versions.encode(appletVersions)).encode();
  }

  /** Unknown tags are ignored; a missing, empty, odd or duplicate 5C is malformed (P3.1a). */
  public static SelectAppletResponse parse(byte[] data) {
    try {
      TlvList list = TlvList.parseUnique(data, "SELECT applet response");
      return new SelectAppletResponse(
          Versions.decode(list.require(0x5C, "SELECT applet response"), "5C"));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  @Override
  public String toString() {
    return "5C " + Versions.format(appletVersions);
  }
}
