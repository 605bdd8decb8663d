package dev.dkrig.transport.pn532;

import java.util.List;

/**
 * The PN532's HSU speeds and their SetSerialBaudRate codes ({@code D4 10 <br>}, UM0701 §7.2.13):
 * the code is the index in {@link #RATES}. After power-on the HSU runs at {@link #POWER_ON}.
 *
 * <p>The change of speed (nfcpy's {@code pn532.init} and {@code set_serial_baudrate}): the host
 * sends SetSerialBaudRate at the old speed, the board acknowledges and answers {@code D5 11} at the
 * old speed, the host sends ACK, and both sides then use the new speed.
 */
public final class SerialBaudRate {

  /** The HSU's speed after power-on or reset. */
  public static final int POWER_ON = 115200;

  /** The speeds, indexed by their SetSerialBaudRate code. */
  public static final List<Integer> RATES =
      List.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1288000);

  private SerialBaudRate() {}

  /**
   * @throws IllegalArgumentException for a speed the HSU does not know
   */
  public static int code(int rate) {
    int code = RATES.indexOf(rate);
    if (code < 0) {
      throw new IllegalArgumentException(
          "a PN532 HSU runs at one of " + RATES + " baud, not " + rate);
    }
    return code;
  }

  /**
   * @throws IllegalArgumentException for a code above 8
   */
  public static int rate(int code) {
    if (code < 0 || code >= RATES.size()) {
      throw new IllegalArgumentException("SetSerialBaudRate code " + code + " is not 0-8");
    }
    return RATES.get(code);
  }
}
