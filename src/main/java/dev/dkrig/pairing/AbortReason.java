package dev.dkrig.pairing;

import dev.dkrig.ccc.Hex;

/**
 * The abort reason codes of §10.2 (P2 of OP CONTROL FLOW {@code 12} and of CONTROL FLOW {@code
 * 00}).
 */
public enum AbortReason {
  UNSPECIFIED(0x00, "unspecified failure"),
  NO_COMMON_SPAKE2_VERSION(0x01, "no common SPAKE2+ version"),
  NO_COMMON_APPLET_VERSION(0x02, "no common DK applet version"),
  OWNER_PAIRING_TIMEOUT(0x03, "timeout: T_OwnerPairing expired"),
  APDU_TIMEOUT(0x04, "timeout: no response within T_Apdu"),
  KEY_CREATION_TIMEOUT(0x05, "timeout: T_KeyCreation expired"),
  TX_GAP_TIMEOUT(0x06, "timeout: T_TxGap expired"),
  PAIRING_MODE_TIMEOUT(0x07, "timeout: T_PairingModeTimeout expired"),
  NO_KEY_SUPPORT(0x08, "no key support in the remote reader"),
  WRONG_DEVICE_EVIDENCE(0x09, "device evidence M2 wrong"),
  WRONG_CONFIGURATION(0x0A, "wrong Digital Key configuration"),
  VERIFICATION_FAILED(0x0B, "certificate or signature verification failed"),
  INVALID_POINT(0x0C, "invalid curve point"),
  ATTEMPT_LIMIT(0x0D, "SPAKE2+ attempt limit reached");

  private final int code;
  private final String meaning;

  AbortReason(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  public static AbortReason of(int code) {
    for (AbortReason reason : values()) {
      if (reason.code == code) {
        return reason;
      }
    }
    throw new IllegalArgumentException("unknown abort code " + Hex.u8(code));
  }

  /** {@code 0B (certificate or signature verification failed)}. */
  public String describe() {
    return Hex.u8(code) + " (" + meaning + ")";
  }
}
