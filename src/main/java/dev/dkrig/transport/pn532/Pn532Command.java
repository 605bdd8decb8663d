package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.util.Optional;

/**
 * The PN532 host commands dkrig sends or its emulator answers (notes §3 command table; UM0701 §7).
 * The board answers command code {@code c} with response code {@code c + 1}.
 */
public enum Pn532Command {
  DIAGNOSE(0x00, "Diagnose"),
  GET_FIRMWARE_VERSION(0x02, "GetFirmwareVersion"),
  GET_GENERAL_STATUS(0x04, "GetGeneralStatus"),
  READ_REGISTER(0x06, "ReadRegister"),
  WRITE_REGISTER(0x08, "WriteRegister"),
  SET_SERIAL_BAUD_RATE(0x10, "SetSerialBaudRate"),
  SET_PARAMETERS(0x12, "SetParameters"),
  SAM_CONFIGURATION(0x14, "SAMConfiguration"),
  POWER_DOWN(0x16, "PowerDown"),
  RF_CONFIGURATION(0x32, "RFConfiguration"),
  IN_DATA_EXCHANGE(0x40, "InDataExchange"),
  IN_COMMUNICATE_THRU(0x42, "InCommunicateThru"),
  IN_DESELECT(0x44, "InDeselect"),
  IN_LIST_PASSIVE_TARGET(0x4A, "InListPassiveTarget"),
  IN_RELEASE(0x52, "InRelease"),
  IN_SELECT(0x54, "InSelect"),
  TG_GET_DATA(0x86, "TgGetData"),
  TG_GET_TARGET_STATUS(0x8A, "TgGetTargetStatus"),
  TG_INIT_AS_TARGET(0x8C, "TgInitAsTarget"),
  TG_SET_DATA(0x8E, "TgSetData"),
  TG_SET_META_DATA(0x94, "TgSetMetaData");

  private final int code;
  private final String label;

  Pn532Command(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  /** The code of the board's answer. */
  public int responseCode() {
    return code + 1;
  }

  /** UM0701's name, {@code InListPassiveTarget}. */
  public String label() {
    return label;
  }

  public static Optional<Pn532Command> of(int code) {
    for (Pn532Command command : values()) {
      if (command.code == code) {
        return Optional.of(command);
      }
    }
    return Optional.empty();
  }

  /** The name of any code, {@code command 10} for one dkrig does not know. */
  public static String describe(int code) {
    return of(code).map(Pn532Command::label).orElse("command " + Hex.u8(code));
  }

  @Override
  public String toString() {
    return label;
  }
}
