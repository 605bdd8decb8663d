package dev.dkrig.pairing;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Hex;

/**
 * The abort reason codes of §10.2 (P2 of OP CONTROL FLOW {@code 12} and of CONTROL FLOW {@code
 * 00}).
 */
public enum AbortReason {
  UNSPECIFIED(DkProfile.ABORT_UNSPECIFIED, "unspecified failure"),
  NO_COMMON_SPAKE2_VERSION(DkProfile.ABORT_NO_COMMON_SPAKE2_VERSION, "no common SPAKE2+ version"),
  NO_COMMON_APPLET_VERSION(DkProfile.ABORT_NO_COMMON_APPLET_VERSION, "no common DK applet version"),
  OWNER_PAIRING_TIMEOUT(DkProfile.ABORT_OWNER_PAIRING_TIMEOUT, "timeout: T_OwnerPairing expired"),
  APDU_TIMEOUT(DkProfile.ABORT_APDU_TIMEOUT, "timeout: no response within T_Apdu"),
  KEY_CREATION_TIMEOUT(DkProfile.ABORT_KEY_CREATION_TIMEOUT, "timeout: T_KeyCreation expired"),
  TX_GAP_TIMEOUT(DkProfile.ABORT_TX_GAP_TIMEOUT, "timeout: T_TxGap expired"),
  PAIRING_MODE_TIMEOUT(
      DkProfile.ABORT_PAIRING_MODE_TIMEOUT, "timeout: T_PairingModeTimeout expired"),
  NO_KEY_SUPPORT(DkProfile.ABORT_NO_KEY_SUPPORT, "no key support in the remote reader"),
  WRONG_DEVICE_EVIDENCE(DkProfile.ABORT_WRONG_DEVICE_EVIDENCE, "device evidence M2 wrong"),
  WRONG_CONFIGURATION(DkProfile.ABORT_WRONG_CONFIGURATION, "wrong Digital Key configuration"),
  VERIFICATION_FAILED(
      DkProfile.ABORT_VERIFICATION_FAILED, "certificate or signature verification failed"),
  INVALID_POINT(DkProfile.ABORT_INVALID_POINT, "invalid curve point"),
  ATTEMPT_LIMIT(DkProfile.ABORT_ATTEMPT_LIMIT, "SPAKE2+ attempt limit reached");

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
