package dev.dkrig.report;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;
import java.util.Arrays;

/**
 * Names commands the way the contract's tables do, following the selected application through a
 * sequence of APDUs: INS {@code 3C} is OP CONTROL FLOW while the framework is selected and CONTROL
 * FLOW in the Digital Key applet (§3.1, §10). One instance per sequence, fed in order.
 */
final class ApduNames {
  private boolean frameworkSelected;

  String next(CommandApdu command) {
    if (command.ins() == Ins.SELECT) {
      frameworkSelected = Arrays.equals(command.data(), DkProfile.FRAMEWORK_AID);
    }
    if (command.ins() == Ins.CONTROL_FLOW && frameworkSelected) {
      return "OP CONTROL FLOW";
    }
    return Ins.name(command);
  }
}
