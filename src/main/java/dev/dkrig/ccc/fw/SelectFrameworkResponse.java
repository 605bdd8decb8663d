package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.List;

/**
 * The SELECT framework response data (§3.3.1): 5A SPAKE2+ versions, 5C applet versions, D4 state.
 * The vehicle accepts any order and ignores unknown tags; a missing tag, a 5A/5C length that is
 * zero or odd, a D4 length other than 1, or a duplicate tag is malformed (P2.1a).
 */
public record SelectFrameworkResponse(
    List<Integer> spake2Versions, List<Integer> appletVersions, int state) {

  /** {@code D4 = 02}: a pairing password is present. */
  public static final int READY = 0x02;

  public SelectFrameworkResponse {
    spake2Versions = List.copyOf(spake2Versions);
    appletVersions = List.copyOf(appletVersions);
  }

  public boolean ready() {
    return state == READY;
  }

  public byte[] encode() {
    return Bytes.concat(
        Tlv.of(0x5A, Versions.encode(spake2Versions)).encode(),
        Tlv.of(0x5C, Versions.encode(appletVersions)).encode(),
        Tlv.of(0xD4, new byte[] {(byte) state}).encode());
  }

  /**
   * @throws CccException MALFORMED with the rule that failed
   */
  public static SelectFrameworkResponse parse(byte[] data) {
    try {
      TlvList list = TlvList.parseUnique(data, "SELECT framework response");
      byte[] d4 = list.require(0xD4, "SELECT framework response");
      if (d4.length != 1) {
        throw CccException.malformed("SELECT framework response: D4 has length " + d4.length);
      }
      return new SelectFrameworkResponse(
          Versions.decode(list.require(0x5A, "SELECT framework response"), "5A"),
          Versions.decode(list.require(0x5C, "SELECT framework response"), "5C"),
          d4[0] & 0xFF);
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /**
   * The transaction-2 parse (§18.14): only 5A and 5C are required; a D4, if present, is returned as
   * is and a missing one reads as ready.
   */
  public static SelectFrameworkResponse parseTransaction2(byte[] data) {
    try {
      TlvList list = TlvList.parseUnique(data, "SELECT framework response (transaction 2)");
      int state =
          list.optional(0xD4).filter(v -> v.length == 1).map(v -> v[0] & 0xFF).orElse(READY);
      return new SelectFrameworkResponse(
          Versions.decode(list.require(0x5A, "SELECT framework response"), "5A"),
          Versions.decode(list.require(0x5C, "SELECT framework response"), "5C"),
          state);
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  @Override
  public String toString() {
    return "5A "
        + Versions.format(spake2Versions)
        + ", 5C "
        + Versions.format(appletVersions)
        + ", D4 "
        + Hex.u8(state);
  }
}
