package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;

/** The plain commands of §3.3 and §3.4 with fixed shapes. */
public final class FrameworkCommands {
  private FrameworkCommands() {}

  public static CommandApdu selectFramework() {
    return CommandApdu.of(Ins.CLA_ISO, Ins.SELECT, 0x04, 0x00, DkProfile.FRAMEWORK_AID);
  }

  public static CommandApdu selectApplet() {
    return CommandApdu.of(Ins.CLA_ISO, Ins.SELECT, 0x04, 0x00, DkProfile.APPLET_AID);
  }

  /** OP CONTROL FLOW {@code 80 3C P1 P2}, case 1 (§3.2, §10). */
  public static CommandApdu opControlFlow(int p1p2) {
    return CommandApdu.of(Ins.CLA_PROPRIETARY, Ins.CONTROL_FLOW, p1p2 >>> 8, p1p2 & 0xFF);
  }

  /** OP CONTROL FLOW {@code 80 3C 12 XX}: abort with reason XX (§10.2). */
  public static CommandApdu abort(int reason) {
    return opControlFlow((DkProfile.OP_FLOW_ABORT_P1 << 8) | reason);
  }

  /** Applet CONTROL FLOW {@code 80 3C P1 P2} (§11.8). */
  public static CommandApdu controlFlow(int p1, int p2) {
    return CommandApdu.of(Ins.CLA_PROPRIETARY, Ins.CONTROL_FLOW, p1, p2);
  }
}
