package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.Optional;

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

  /**
   * The round after InCommunicateThru sent the frame: the PN532's timeout ({@code 01}) is the
   * expected SENT, since an iPhone does not answer ECP; success is ANSWERED with what came back.
   *
   * @param answer InCommunicateThru's answer data, status byte first
   * @return empty for any other status: a chip or command error, which the caller reports
   */
  public static Optional<EcpRound> afterCommunicateThru(Pn532Status status, byte[] answer) {
    if (status.errorCode() == 0x01) {
      return Optional.of(new EcpRound(Outcome.SENT, new byte[0]));
    }
    if (status.isSuccess()) {
      return Optional.of(
          new EcpRound(Outcome.ANSWERED, Arrays.copyOfRange(answer, 1, answer.length)));
    }
    return Optional.empty();
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
