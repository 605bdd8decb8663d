package dev.dkrig.transport.acr122u;

import dev.dkrig.ccc.Bytes;

/**
 * PN532 RFConfiguration item 5, MaxRetries: {@code D4 32 05 <MxRtyATR> <MxRtyPSL>
 * <MxRtyPassiveActivation>} (notes §2.3 Mode B step 2, §3). {@code FF} means "retry forever", and
 * an InListPassiveTarget with {@code MxRtyPassiveActivation = FF} blocks until a tag appears, which
 * would freeze the rig's polling loop behind the reader's controller. This type therefore refuses
 * {@code FF} for the ATR and passive-activation retries.
 *
 * @param atr retries of ATR_REQ (DEP targets); bounded
 * @param psl retries of PSL_REQ / ATTRIB
 * @param passiveActivation retries of InListPassiveTarget's activation; bounded
 */
public record MaxRetries(int atr, int psl, int passiveActivation) {

  /**
   * Bounded polling as libnfc configures it for a non-blocking select: {@code 00 01 02} (one ATR
   * attempt, one PSL retry, two activation retries).
   */
  public static final MaxRetries BOUNDED = new MaxRetries(0x00, 0x01, 0x02);

  public MaxRetries {
    check(atr, "MxRtyATR", false);
    check(psl, "MxRtyPSL", true);
    check(passiveActivation, "MxRtyPassiveActivation", false);
  }

  /** The Direct Transmit payload {@code D4 32 05 <atr> <psl> <passive>}. */
  public byte[] pn532Command() {
    return Bytes.of(0xD4, 0x32, 0x05, atr, psl, passiveActivation);
  }

  private static void check(int value, String name, boolean infiniteAllowed) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException(name + " out of range: " + value);
    }
    if (value == 0xFF && !infiniteAllowed) {
      throw new IllegalArgumentException(
          name + " = FF retries forever: InListPassiveTarget would block until a tag appears");
    }
  }
}
