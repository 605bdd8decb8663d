package dev.dkrig.ccc.spake2;

/**
 * The intermediates of one SPAKE2+ key schedule (§5.4), kept for known-answer tests and for an
 * explicit {@code --reveal-secrets} trace. {@link #toString()} shows none of them.
 */
public record Spake2Keys(byte[] kMain, byte[] k1, byte[] k2, byte[] m1, byte[] m2, byte[] sk) {

  public Spake2Keys {
    kMain = kMain.clone();
    k1 = k1.clone();
    k2 = k2.clone();
    m1 = m1.clone();
    m2 = m2.clone();
    sk = sk.clone();
  }

  @Override
  public byte[] kMain() {
    return kMain.clone();
  }

  @Override
  public byte[] k1() {
    return k1.clone();
  }

  @Override
  public byte[] k2() {
    return k2.clone();
  }

  @Override
  public byte[] m1() {
    return m1.clone();
  }

  @Override
  public byte[] m2() {
    return m2.clone();
  }

  @Override
  public byte[] sk() {
    return sk.clone();
  }

  public SystemKeys systemKeys() {
    return SystemKeys.derive(sk);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Spake2Keys that && java.util.Arrays.equals(kMain, that.kMain);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(kMain);
  }

  @Override
  public String toString() {
    return "Spake2Keys[<redacted>]";
  }
}
