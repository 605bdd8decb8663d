package dev.dkrig.transport.pn532;

/**
 * How the contract's APDUs fit PN532 frames on a serial line, and why dkrig sends the long ones in
 * extended frames.
 *
 * <h2>Commands</h2>
 *
 * An APDU goes to the device as InDataExchange, {@code D4 40 <Tg> <C-APDU>}. LEN counts TFI and the
 * payload, and a normal frame's LEN is one byte, so a normal frame carries {@value
 * Pn532Frame#NORMAL_MAX_PAYLOAD} payload bytes: {@code 40 Tg} and at most {@value
 * #NORMAL_FRAME_MAX_APDU} APDU bytes. The contract's largest command is a full protected WRITE DATA
 * (§3.2), {@code 84 D4 P1 00 F8 <248> 00} = 254 bytes, a payload of 256: <b>it does not fit a
 * normal frame</b>. An extended frame ({@code 00 00 FF FF FF LENm LENl LCS …}) carries {@value
 * Pn532Frame#EXTENDED_MAX_PAYLOAD} payload bytes, i.e. InDataExchange's full DataOut of {@value
 * #EXTENDED_FRAME_MAX_APDU} bytes, and the longest short APDU ({@value #MAX_SHORT_APDU} bytes)
 * needs 263: every short APDU fits one extended frame. dkrig therefore sends InDataExchange in a
 * normal frame when it fits and in an extended frame otherwise, as libnfc's {@code
 * pn53x_build_frame} does. MI chaining from the host (Tg bit {@code 40}, a further InDataExchange
 * for the rest) exists for DataOut beyond 262 bytes, which short APDUs never reach; dkrig does not
 * need it. The PN532 itself does ISO-DEP chaining to the phone by FSC.
 *
 * <h2>Responses</h2>
 *
 * The board answers {@code D5 41 <Status> <R-APDU>}. The contract's largest response is 248 bytes
 * of protected data and SW, 250 bytes, a payload of 252: it fits one normal frame. A board answers
 * DataIn beyond a frame with the MI bit of the status byte set and the rest after a further
 * InDataExchange without data; dkrig's transport follows MI, although the contract's sizes never
 * cause it on a real PN532 (its DataIn holds 262 bytes).
 *
 * <p>The contract's sizes (254 and 250) are the profile's ({@code DkProfile}, §3.2), which the
 * transport does not import: the bench gives a transport its contract numbers, and {@code
 * ProfileMeetsTransportTest} checks that they fit these frames.
 */
public final class Pn532FrameLimits {

  /** {@code 40 Tg} (command) or {@code 41 Status} (response) before the APDU. */
  public static final int IN_DATA_EXCHANGE_OVERHEAD = 2;

  /** {@code 254 - 2}: the longest APDU in one normal InDataExchange frame. */
  public static final int NORMAL_FRAME_MAX_APDU =
      Pn532Frame.NORMAL_MAX_PAYLOAD - IN_DATA_EXCHANGE_OVERHEAD;

  /** {@code 264 - 2}: InDataExchange's DataOut limit, one extended frame. */
  public static final int EXTENDED_FRAME_MAX_APDU =
      Pn532Frame.EXTENDED_MAX_PAYLOAD - IN_DATA_EXCHANGE_OVERHEAD;

  /** {@code CLA INS P1 P2 Lc <255> Le}. */
  public static final int MAX_SHORT_APDU = 4 + 1 + 255 + 1;

  private Pn532FrameLimits() {}

  /**
   * The frame form an InDataExchange (or its answer) with an APDU of {@code length} bytes needs.
   */
  public enum Form {
    NORMAL,
    EXTENDED
  }

  /**
   * @throws IllegalArgumentException when no single frame holds it
   */
  public static Form formFor(int apduLength) {
    int payload = apduLength + IN_DATA_EXCHANGE_OVERHEAD;
    if (payload <= Pn532Frame.NORMAL_MAX_PAYLOAD) {
      return Form.NORMAL;
    }
    if (payload <= Pn532Frame.EXTENDED_MAX_PAYLOAD) {
      return Form.EXTENDED;
    }
    throw new IllegalArgumentException(
        "an APDU of "
            + apduLength
            + " bytes exceeds InDataExchange's "
            + EXTENDED_FRAME_MAX_APDU
            + "-byte DataOut");
  }
}
