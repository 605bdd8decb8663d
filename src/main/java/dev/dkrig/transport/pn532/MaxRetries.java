package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;

/**
 * PN532 RFConfiguration item 5, MaxRetries: {@code D4 32 05 <MxRtyATR> <MxRtyPSL>
 * <MxRtyPassiveActivation>} (notes §2.3 Mode B step 2, §3). {@code FF} means "retry forever", and
 * an InListPassiveTarget with {@code MxRtyPassiveActivation = FF} blocks until a tag appears, which
 * would freeze the rig's polling loop behind the reader's controller. This type therefore refuses
 * {@code FF} for the passive-activation retries. The ATR retries only count ATR_REQ to a DEP target
 * (InJumpForDEP, InATR), which a type A InListPassiveTarget never sends, so {@code FF} is allowed
 * there: the public ECP recipe uses {@link #ECP}.
 *
 * @param atr retries of ATR_REQ (DEP targets)
 * @param psl retries of PSL_REQ / ATTRIB
 * @param passiveActivation retries of InListPassiveTarget's activation; bounded
 */
public record MaxRetries(int atr, int psl, int passiveActivation) {

  /**
   * Bounded polling as libnfc configures it for a non-blocking select: {@code 00 01 02} (one ATR
   * attempt, one PSL retry, two activation retries).
   */
  public static final MaxRetries BOUNDED = new MaxRetries(0x00, 0x01, 0x02);

  /**
   * The public Apple ECP recipe's {@code FF 01 00} (kormax, notes §2.4): one activation attempt per
   * InListPassiveTarget, so that every round ends at once and the ECP frame follows the poll; the
   * recipe's author calls the final {@code 00} essential.
   */
  public static final MaxRetries ECP = new MaxRetries(0xFF, 0x01, 0x00);

  public MaxRetries {
    check(atr, "MxRtyATR", true);
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
