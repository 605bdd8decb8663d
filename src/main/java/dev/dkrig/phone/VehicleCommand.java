package dev.dkrig.phone;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import java.util.Arrays;
import java.util.Optional;

/**
 * One command from the vehicle, classified by what the contract calls it (§3.3, §3.4). The phone's
 * device answers the bytes itself; this is only the judge's reading of them.
 *
 * @param kind what the command is
 * @param apdu the parsed command, empty when the bytes are not an APDU
 */
record VehicleCommand(Kind kind, Optional<CommandApdu> apdu) {

  enum Kind {
    SELECT_FRAMEWORK("SELECT framework"),
    SELECT_APPLET("SELECT applet"),
    SELECT_OTHER("SELECT of another AID"),
    REQUEST("SPAKE2+ REQUEST"),
    VERIFY("SPAKE2+ VERIFY"),
    WRITE_DATA("WRITE DATA"),
    GET_DATA("GET DATA"),
    GET_RESPONSE("GET RESPONSE"),
    OP_CONTROL_FLOW("OP CONTROL FLOW"),
    CONTROL_FLOW("CONTROL FLOW"),
    AUTH0("AUTH0"),
    AUTH1("AUTH1"),
    EXCHANGE("EXCHANGE"),
    MALFORMED("a malformed command"),
    OTHER("an unknown command");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  static VehicleCommand of(byte[] bytes) {
    CommandApdu apdu;
    try {
      apdu = CommandApdu.parse(bytes);
    } catch (Iso7816Exception | IllegalArgumentException e) {
      return new VehicleCommand(Kind.MALFORMED, Optional.empty());
    }
    return new VehicleCommand(kindOf(apdu), Optional.of(apdu));
  }

  private static Kind kindOf(CommandApdu apdu) {
    switch (apdu.ins()) {
      case Ins.SELECT:
        if (Arrays.equals(apdu.data(), DkProfile.FRAMEWORK_AID)) {
          return Kind.SELECT_FRAMEWORK;
        }
        return Arrays.equals(apdu.data(), DkProfile.APPLET_AID)
            ? Kind.SELECT_APPLET
            : Kind.SELECT_OTHER;
      case Ins.SPAKE2_REQUEST:
        return Kind.REQUEST;
      case Ins.SPAKE2_VERIFY:
        return Kind.VERIFY;
      case Ins.WRITE_DATA:
        return Kind.WRITE_DATA;
      case Ins.GET_DATA:
        return Kind.GET_DATA;
      case Ins.GET_RESPONSE:
        return Kind.GET_RESPONSE;
      case Ins.CONTROL_FLOW:
        return apdu.p1() == DkProfile.OP_FLOW_ABORT_P1 || apdu.p1() == 0x10 || apdu.p1() == 0x11
            ? Kind.OP_CONTROL_FLOW
            : Kind.CONTROL_FLOW;
      case Ins.AUTH0:
        return Kind.AUTH0;
      case Ins.AUTH1:
        return Kind.AUTH1;
      case Ins.EXCHANGE:
        return Kind.EXCHANGE;
      default:
        return Kind.OTHER;
    }
  }

  boolean is(Kind wanted) {
    return kind == wanted;
  }

  /** P1 P2, or -1 when the bytes are not an APDU. */
  int p1p2() {
    return apdu.map(CommandApdu::p1p2).orElse(-1);
  }

  /** {@code 80 3C 12 xx} (framework abort) or {@code 80 3C 00 xx} (applet abort), §10.2. */
  boolean isAbort() {
    return (kind == Kind.OP_CONTROL_FLOW && (p1p2() >> 8) == DkProfile.OP_FLOW_ABORT_P1)
        || (kind == Kind.CONTROL_FLOW && (p1p2() >> 8) == 0x00);
  }

  /** The reason code of an abort (§10.2). */
  int abortCode() {
    return p1p2() & 0xFF;
  }

  /** The last piece of a WRITE DATA stream ({@code P1 = 80}, §7.6). */
  boolean isLastPiece() {
    return kind == Kind.WRITE_DATA && apdu.map(a -> a.p1() == 0x80).orElse(false);
  }

  /** A readable name for details: {@code OP CONTROL FLOW 10 01}, {@code GET DATA 7F20}. */
  String describe() {
    return switch (kind) {
      case OP_CONTROL_FLOW, CONTROL_FLOW -> kind.label() + " " + spaced(p1p2());
      case WRITE_DATA -> kind.label() + (isLastPiece() ? " (P1 = 80)" : " (P1 = 00)");
      case MALFORMED, OTHER -> kind.label();
      default -> kind.label();
    };
  }

  private static String spaced(int p1p2) {
    String hex = Hex.u16(p1p2);
    return hex.substring(0, 2) + " " + hex.substring(2);
  }
}
