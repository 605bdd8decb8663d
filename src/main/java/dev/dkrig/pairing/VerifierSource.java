package dev.dkrig.pairing;

import dev.dkrig.ccc.spake2.Verifier;

/** Where the vehicle's SPAKE2+ verifier comes from (P1.4, §18.9, §18.20). */
public sealed interface VerifierSource {

  /**
   * A test profile gives the password: the rig plays the OEM server and derives a fresh verifier at
   * the start of every run, with its attempt counter at 0 (§18.20).
   *
   * @param salt empty for a random salt each run
   */
  record FromPassword(String password, java.util.Optional<byte[]> salt, long n, int r, int p)
      implements VerifierSource {
    @Override
    public String toString() {
      return "FromPassword[password=<redacted>, N=" + n + ", r=" + r + ", p=" + p + "]";
    }
  }

  /** A provisioned verifier (w0, L, salt, N, r, p) with a persistent attempt counter (§18.9). */
  record Provisioned(Verifier verifier) implements VerifierSource {}

  /** No verifier: P1.4 ERROR and the PP-03 branch (P1.4a). */
  record Absent(String why) implements VerifierSource {}

  /** §18.2 test mode's fixed salt (T1). */
  byte[] TEST_MODE_SALT = dev.dkrig.iso7816.Hex.decode("000102030405060708090A0B0C0D0E0F");

  /**
   * Test mode uses the D1 verifier parameters of T1 with the profile's password (§17.4.1); other
   * sources stay as they are.
   */
  static VerifierSource forTestMode(VerifierSource source) {
    if (source instanceof FromPassword p) {
      return new FromPassword(p.password(), java.util.Optional.of(TEST_MODE_SALT), 4096, 8, 1);
    }
    return source;
  }
}
