package dev.dkrig.phone;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.pairing.Step;

/**
 * §10.2 read from the phone's side: which step an abort the vehicle sends FAILs
 * (docs/phone-role.md, "Aborts"). The same mapping as the vehicle's own report, so both reports of
 * one pairing FAIL the same step.
 */
final class AbortRules {
  private AbortRules() {}

  /**
   * @param code the abort's reason code (P2)
   * @param phase the phase the abort came in (2, 3 or 4)
   * @param inProgress the step in progress, for {@code 00}, {@code 04} and the codes §10.2 never
   *     sends
   */
  static Step stepFor(int code, int phase, Step inProgress) {
    return switch (code) {
      case DkProfile.ABORT_NO_COMMON_SPAKE2_VERSION -> Step.P2_2;
      case DkProfile.ABORT_NO_COMMON_APPLET_VERSION -> phase >= 3 ? Step.P3_2 : Step.P2_2;
      case DkProfile.ABORT_OWNER_PAIRING_TIMEOUT -> Step.P1_7A;
      case DkProfile.ABORT_KEY_CREATION_TIMEOUT -> Step.P2_5;
      case DkProfile.ABORT_PAIRING_MODE_TIMEOUT -> Step.P1_6_3;
      case DkProfile.ABORT_WRONG_DEVICE_EVIDENCE, DkProfile.ABORT_ATTEMPT_LIMIT -> Step.P2_3;
      case DkProfile.ABORT_WRONG_CONFIGURATION ->
          byPhase(phase, Step.P2_6_2, Step.P3_3, Step.P4_2_3);
      case DkProfile.ABORT_VERIFICATION_FAILED ->
          byPhase(phase, Step.P2_6_1, Step.P3_3, Step.P4_2_3);
      case DkProfile.ABORT_INVALID_POINT -> byPhase(phase, Step.P2_3, Step.P3_3, Step.P4_1);
      default -> inProgress;
    };
  }

  private static Step byPhase(int phase, Step two, Step three, Step four) {
    return phase <= 2 ? two : phase == 3 ? three : four;
  }

  /** {@code 12 09}, {@code 00 0B}: the abort as it appears on the wire. */
  static String spaced(int p1p2) {
    return String.format("%02X %02X", p1p2 >> 8, p1p2 & 0xFF);
  }
}
