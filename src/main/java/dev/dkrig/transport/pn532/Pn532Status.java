package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.util.Map;

/**
 * The status byte the PN532 puts first in its InDataExchange ({@code D5 41}) and InCommunicateThru
 * ({@code D5 43}) answers (notes §2.3 step 4, §3; PN532 user manual UM0701, error codes).
 *
 * <p>Bit 7 is NAD (a node address is present), bit 6 MI (more information: the answer continues in
 * a further frame), bits 5–0 the error code, {@code 00} for success.
 *
 * @param value the status byte
 */
public record Pn532Status(int value) {

  public static final int NAD = 0x80;
  public static final int MORE_INFORMATION = 0x40;
  public static final int ERROR_MASK = 0x3F;

  /** Error codes whose cause is the RF link to the phone, not the chip or the command. */
  private static final Map<Integer, String> RF_ERRORS =
      Map.ofEntries(
          Map.entry(0x01, "timeout: the target did not answer"),
          Map.entry(0x02, "CRC error"),
          Map.entry(0x03, "parity error"),
          Map.entry(0x04, "wrong bit count during anticollision or select"),
          Map.entry(0x05, "framing error"),
          Map.entry(0x06, "abnormal bit collision"),
          Map.entry(0x0A, "RF field not switched on in time (RF timeout)"),
          Map.entry(0x0B, "RF protocol error"),
          Map.entry(0x13, "invalid received frame (ISO-DEP or DEP format error)"),
          Map.entry(0x29, "target released"),
          Map.entry(0x2A, "ISO 14443-B: card ID does not match (card swapped)"),
          Map.entry(0x2B, "ISO 14443-B: the activated card disappeared"));

  private static final Map<Integer, String> CHIP_ERRORS =
      Map.ofEntries(
          Map.entry(0x07, "communication buffer too small"),
          Map.entry(0x09, "RF buffer overflow"),
          Map.entry(0x0D, "overheating"),
          Map.entry(0x0E, "internal buffer overflow"),
          Map.entry(0x10, "invalid parameter"),
          Map.entry(0x12, "DEP: command not supported in target mode"),
          Map.entry(0x14, "MIFARE authentication error"),
          Map.entry(0x23, "ISO 14443-3: wrong UID check byte"),
          Map.entry(0x25, "DEP: invalid device state"),
          Map.entry(0x26, "operation not allowed in this configuration"),
          Map.entry(0x27, "command not acceptable in the current context"),
          Map.entry(0x2C, "DEP: NFCID3 mismatch"),
          Map.entry(0x2D, "over-current"),
          Map.entry(0x2E, "DEP: NAD missing"));

  public Pn532Status {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("status byte out of range: " + value);
    }
  }

  /** Bits 5–0. */
  public int errorCode() {
    return value & ERROR_MASK;
  }

  public boolean isSuccess() {
    return errorCode() == 0;
  }

  /** MI: the PN532 has more data than this frame holds. */
  public boolean moreInformation() {
    return (value & MORE_INFORMATION) != 0;
  }

  public boolean nad() {
    return (value & NAD) != 0;
  }

  /** Whether the error is the RF link (the phone left, moved, or garbled a frame). */
  public boolean isRfError() {
    return RF_ERRORS.containsKey(errorCode());
  }

  /** {@code 01 (timeout: the target did not answer)}. */
  public String describe() {
    int code = errorCode();
    String text =
        code == 0
            ? "success"
            : RF_ERRORS.getOrDefault(code, CHIP_ERRORS.getOrDefault(code, "unknown error"));
    String flags = (moreInformation() ? ", MI" : "") + (nad() ? ", NAD" : "");
    return Hex.u8(value) + " (" + text + flags + ")";
  }
}
