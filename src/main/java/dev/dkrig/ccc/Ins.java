package dev.dkrig.ccc;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;

/** Instruction bytes of §3.3 and §3.4, with names for traces and reports. */
public final class Ins {
  private Ins() {}

  public static final int SELECT = 0xA4;
  public static final int SPAKE2_REQUEST = 0x30;
  public static final int SPAKE2_VERIFY = 0x32;
  public static final int WRITE_DATA = 0xD4;
  public static final int GET_DATA = 0xCA;
  public static final int GET_RESPONSE = 0xC0;
  public static final int CONTROL_FLOW = 0x3C;
  public static final int AUTH0 = 0x80;
  public static final int AUTH1 = 0x81;
  public static final int EXCHANGE = 0xC9;

  public static final int CLA_ISO = 0x00;
  public static final int CLA_PROPRIETARY = 0x80;
  public static final int CLA_SECURE = 0x84;

  /** The command's name as the contract's tables give it, for traces and step details. */
  public static String name(CommandApdu command) {
    return switch (command.ins()) {
      case SELECT -> "SELECT";
      case SPAKE2_REQUEST -> "SPAKE2+ REQUEST";
      case SPAKE2_VERIFY -> "SPAKE2+ VERIFY";
      case WRITE_DATA -> "WRITE DATA";
      case GET_DATA -> "GET DATA";
      case GET_RESPONSE -> "GET RESPONSE";
      case CONTROL_FLOW -> "CONTROL FLOW";
      case AUTH0 -> "AUTH0";
      case AUTH1 -> "AUTH1";
      case EXCHANGE -> "EXCHANGE";
      default -> "INS " + Hex.u8(command.ins());
    };
  }
}
