package dev.dkrig.ccc;

import dev.dkrig.iso7816.Hex;

/** The status words of §3.5 and §18.10, with their contract meaning for reports. */
public final class StatusWord {
  private StatusWord() {}

  public static final int SUCCESS = 0x9000;
  public static final int WRONG_LENGTH = 0x6700;
  public static final int SECURITY_STATUS = 0x6982;
  public static final int CONDITIONS_NOT_SATISFIED = 0x6985;
  public static final int INCORRECT_DATA = 0x6A80;
  public static final int NOT_FOUND = 0x6A82;
  public static final int NOT_ENOUGH_MEMORY = 0x6A84;
  public static final int REFERENCED_DATA = 0x6A88;
  public static final int WRONG_P1P2 = 0x6B00;
  public static final int INS_NOT_SUPPORTED = 0x6D00;
  public static final int CLA_NOT_SUPPORTED = 0x6E00;
  public static final int NOT_READY = 0x9484;

  /** {@code 61XX}: more protected response data follows (§6.5). */
  public static int moreData(int nextLength) {
    return 0x6100 | (nextLength & 0xFF);
  }

  /** A short text for reports: {@code 6A88 (referenced data invalid or not found)}. */
  public static String describe(int sw) {
    return Hex.u16(sw) + " (" + meaning(sw) + ")";
  }

  public static String meaning(int sw) {
    if ((sw >>> 8) == 0x61) {
      return "more data: " + (sw & 0xFF) + " bytes";
    }
    if ((sw >>> 8) == 0x6C) {
      return "wrong Le (6Cxx is a device fault in this profile)";
    }
    return switch (sw) {
      case SUCCESS -> "success";
      case WRONG_LENGTH -> "wrong length";
      case SECURITY_STATUS -> "security status not satisfied";
      case CONDITIONS_NOT_SATISFIED -> "conditions of use not satisfied";
      case INCORRECT_DATA -> "incorrect data";
      case NOT_FOUND -> "application not found";
      case NOT_ENOUGH_MEMORY -> "not enough memory";
      case REFERENCED_DATA -> "referenced data invalid or not found";
      case WRONG_P1P2 -> "wrong P1/P2";
      case INS_NOT_SUPPORTED -> "INS not supported";
      case CLA_NOT_SUPPORTED -> "CLA not supported";
      case NOT_READY -> "device not ready for pairing";
      default -> "unexpected status word";
    };
  }
}
