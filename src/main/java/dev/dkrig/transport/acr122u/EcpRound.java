package dev.dkrig.transport.acr122u;

import dev.dkrig.ccc.Hex;

/**
 * What one round of the ECP loop found (notes §2.4, "Sending ECP through a PN532 / ACR122U").
 *
 * @param outcome what happened
 * @param data InListPassiveTarget's target data ({@code Tg SENS_RES SEL_RES len NFCID1 [ATS]}) for
 *     TARGET_PRESENT, the unexpected answer for ANSWERED, empty for SENT
 */
public record EcpRound(Outcome outcome, byte[] data) {

  /** The three ways a round ends. */
  public enum Outcome {
    /** No tag was in the field; the ECP frame went out and, as expected, nobody answered. */
    SENT,
    /**
     * InListPassiveTarget found a tag, so no ECP frame was sent this round: a phone that saw ECP in
     * earlier rounds (or one that needs none) answered the poll. The PN532 now holds it as target
     * 1.
     */
    TARGET_PRESENT,
    /** Something answered the ECP frame itself, which iPhones do not do: worth a look. */
    ANSWERED
  }

  public EcpRound {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public String toString() {
    return data.length == 0 ? outcome.name() : outcome + " " + Hex.encode(data);
  }
}
