package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;

/**
 * An answer to {@code FF 00 50} or {@code FF 00 51} in any form a unit has been seen to use: {@code
 * 90 <parameter>} (ACS API v2.04 §6.4–6.5), the bare parameter byte ({@code 7F}, {@code 00}:
 * firmware 2.15 and others), or the byte followed by {@code 90 00}.
 *
 * @param value the parameter byte
 * @param withStatus whether it came as {@code 90 <parameter>}, the form the manual documents
 */
record PiccAnswer(int value, boolean withStatus) {

  /**
   * @throws Acr122uException for {@code 63 xx} (named) and any other form
   */
  static PiccAnswer parse(byte[] answer, String what) {
    int n = answer.length;
    if (n == 2 && (answer[0] & 0xFF) == 0x90) {
      return new PiccAnswer(answer[1] & 0xFF, true);
    }
    if (n == 2 && (answer[0] & 0xFF) == 0x63) {
      throw Acr122uException.forStatus(Bytes.u16(answer, 0), what);
    }
    if (n == 1) {
      return new PiccAnswer(answer[0] & 0xFF, false);
    }
    if (n == 3 && (answer[1] & 0xFF) == 0x90 && answer[2] == 0x00) {
      return new PiccAnswer(answer[0] & 0xFF, false);
    }
    throw new Acr122uException(
        Acr122uException.Reason.UNEXPECTED_RESPONSE,
        what
            + ": expected 90 <value> or the bare value, got "
            + (n == 0 ? "nothing" : Hex.encode(answer)));
  }

  @Override
  public String toString() {
    return withStatus ? "90 " + Hex.u8(value) : Hex.u8(value);
  }
}
