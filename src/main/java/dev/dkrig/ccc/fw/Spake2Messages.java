package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;

/** The fixed-shape SPAKE2+ messages of §3.3 besides the REQUEST. */
public final class Spake2Messages {
  private Spake2Messages() {}

  /** REQUEST response data: {@code 50 41 <X>}. */
  public static byte[] requestResponse(byte[] x) {
    return Tlv.of(0x50, x).encode();
  }

  /** Vehicle side: X from the REQUEST response; unknown tags ignored (§0). */
  public static byte[] parseRequestResponse(byte[] data) {
    try {
      return TlvList.parseUnique(data, "SPAKE2+ REQUEST response")
          .require(0x50, "SPAKE2+ REQUEST response");
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** {@code 80 32 00 00 55 52 41 <Y> 57 10 <M1> 00}. */
  public static CommandApdu verify(byte[] y, byte[] m1) {
    return CommandApdu.of(
        Ins.CLA_PROPRIETARY,
        Ins.SPAKE2_VERIFY,
        0x00,
        0x00,
        Bytes.concat(Tlv.of(0x52, y).encode(), Tlv.of(0x57, m1).encode()));
  }

  /** Device side: Y and M1, exactly 52 (65) then 57 (16); MALFORMED otherwise (answered 6A88). */
  public static byte[][] parseVerify(byte[] data) {
    try {
      TlvList list = TlvList.parseExact(data, "SPAKE2+ VERIFY", 0x52, 0x57);
      return new byte[][] {
        list.require(0x52, 65, "SPAKE2+ VERIFY"), list.require(0x57, 16, "SPAKE2+ VERIFY")
      };
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** VERIFY response data: {@code 58 10 <M2>}. */
  public static byte[] verifyResponse(byte[] m2) {
    return Tlv.of(0x58, m2).encode();
  }

  /** Vehicle side: M2 (16 bytes); unknown tags ignored. */
  public static byte[] parseVerifyResponse(byte[] data) {
    try {
      return TlvList.parseUnique(data, "SPAKE2+ VERIFY response")
          .require(0x58, 16, "SPAKE2+ VERIFY response");
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }
}
