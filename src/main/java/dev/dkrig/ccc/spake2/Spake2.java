package dev.dkrig.ccc.spake2;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import org.bouncycastle.math.ec.ECPoint;

/** The parts of the CCC SPAKE2+ variant both roles share (§5.1, §5.2, §5.4). */
public final class Spake2 {
  /** RFC 9383's P-256 M constant (§5.1). */
  public static final ECPoint M =
      P256.constantPoint(
          Hex.decode(
              "04886E2F97ACE46E55BA9DD7242579F2993B64E16EF3DCAB95AFD497333D8FA12F"
                  + "5FF355163E43CE224E0B0E65FF02AC8E5C7BE09419C785E0CA547D55A12E2D20"));

  /** RFC 9383's P-256 N constant (§5.1). */
  public static final ECPoint N =
      P256.constantPoint(
          Hex.decode(
              "04D8BBD6C639C62937B04D997F38C3770719C629D7014D49A24B4F98BAA1292B49"
                  + "07D60AA6BFADE45008A636337F5168C64D9BD36034808CD564490B1E656EDBE7"));

  private Spake2() {}

  /**
   * {@code TT = LE64(65) ‖ X ‖ LE64(65) ‖ Y ‖ LE64(65) ‖ Z ‖ LE64(65) ‖ V ‖ LE64(32) ‖ w0}: no
   * context, no identities, X first on both sides (§5.2).
   */
  static byte[] transcript(byte[] x, byte[] y, byte[] z, byte[] v, byte[] w0) {
    return Bytes.concat(
        Bytes.le64(x.length), x,
        Bytes.le64(y.length), y,
        Bytes.le64(z.length), z,
        Bytes.le64(v.length), v,
        Bytes.le64(w0.length), w0);
  }

  /** The key schedule of §5.4 from the transcript and the REQUEST's 5B ‖ 5C bytes. */
  static Spake2Keys keySchedule(byte[] transcript, byte[] aad, byte[] x, byte[] y) {
    byte[] kMain = Crypto.sha256(transcript);
    byte[] ck = Bytes.range(kMain, 0, 16);
    byte[] sk = Bytes.range(kMain, 16, 32);
    byte[] k1k2 = Crypto.hkdf(ck, Bytes.concat(DkProfile.LABEL_CONFIRMATION_KEYS, aad), 32);
    byte[] k1 = Bytes.range(k1k2, 0, 16);
    byte[] k2 = Bytes.range(k1k2, 16, 32);
    // §5.4: the verifier MACs the prover's share with K1, the reverse of RFC 9383.
    byte[] m1 = Crypto.cmac(k1, x);
    byte[] m2 = Crypto.cmac(k2, y);
    return new Spake2Keys(kMain, k1, k2, m1, m2, sk);
  }
}
