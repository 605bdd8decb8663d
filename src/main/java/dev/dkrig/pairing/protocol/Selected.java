package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.iso7816.CommandApdu;

/** Which application the vehicle believes is selected; aborts go to it (§2, §10.2). */
public enum Selected {
  NONE,
  FRAMEWORK,
  APPLET;

  /**
   * The abort for this application: OP CONTROL FLOW {@code 12 XX} to the framework, CONTROL FLOW
   * {@code 00 XX} to the applet (§10.2); none when nothing is selected.
   */
  public CommandApdu abort(int code) {
    return switch (this) {
      case NONE -> null;
      case FRAMEWORK -> FrameworkCommands.abort(code);
      case APPLET -> FrameworkCommands.controlFlow(DkProfile.CONTROL_FLOW_FAILURE, code);
    };
  }
}
