package dev.dkrig.conformance.vehicle;

import dev.dkrig.conformance.ConformanceScenario;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Step;
import dev.dkrig.phone.QuirkReactions;
import java.util.List;
import java.util.Optional;

/**
 * A scenario of the vehicle conformance suite (issue 19 item 4): the phone misbehaves with one
 * device quirk, and the vehicle's reaction is judged at one step (docs/phone-role.md, "Device
 * quirks"). The scenario's name is the quirk's.
 *
 * @param reaction the quirk, the step that judges the reaction, the abort and where it must come
 * @param title a short title for tables
 * @param requiredReaction what the vehicle must do, with the contract section
 */
public record VehicleScenario(
    QuirkReactions.Reaction reaction, String title, String requiredReaction) {

  public String name() {
    return reaction.quirk().cliName();
  }

  public DeviceQuirk quirk() {
    return reaction.quirk();
  }

  public Step step() {
    return reaction.step();
  }

  /** What the phone does wrong, one line. */
  public String deviation() {
    return reaction.quirk().description();
  }

  /** The scenario as the suite's documents name it (they render a conformance scenario). */
  public ConformanceScenario asConformanceScenario() {
    return new ConformanceScenario(
        name(),
        title,
        deviation(),
        requiredReaction,
        List.of(),
        List.of(),
        run -> {
          throw new IllegalStateException("a vehicle scenario runs through a phone, not a vehicle");
        });
  }

  /** Every scenario, in the order of the reactions' table. */
  public static List<VehicleScenario> all() {
    return QuirkReactions.all().stream().map(VehicleScenario::of).toList();
  }

  public static Optional<VehicleScenario> byName(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return all().stream().map(VehicleScenario::name).toList();
  }

  private static VehicleScenario of(QuirkReactions.Reaction reaction) {
    String at = " (" + reaction.step().id() + ", " + reaction.section() + ")";
    String required =
        switch (reaction.place()) {
          case RETRY_AFTER_NOT_READY ->
              "an NFC reset, then a new SELECT framework after T_NotReadyRetry" + at;
          case ON_RETURN_TO_FIELD ->
              "no abort; when the phone returns, nothing but a new SELECT framework" + at;
          case POLLING_UNTIL_KTS_WAIT ->
              "phase-4 polls at T_KtsPollInterval until T_KtsWait, no EXCHANGE, then stop" + at;
          default ->
              "abort "
                  + spaced(reaction.abort())
                  + " "
                  + reaction.place().text()
                  + ", then the NFC reset"
                  + at;
        };
    return new VehicleScenario(reaction, title(reaction), required);
  }

  private static String title(QuirkReactions.Reaction reaction) {
    return switch (reaction.quirk()) {
      case BAD_ENDPOINT_SIGNATURE -> "AUTH1 endpoint signature does not verify";
      case WRONG_KEY_SLOT -> "AUTH1 key slot is not 7F4A's";
      case WRONG_VEHICLE_ID_IN_CERTIFICATE -> "H names another vehicle";
      case WRONG_M2 -> "SPAKE2+ VERIFY with a wrong M2";
      case BAD_FRAMEWORK_RMAC -> "WRITE DATA answered with a bad R-MAC";
      case UNVERIFIABLE_CHAIN -> "the DK certificate chain does not verify";
      case BAD_APPLET_RMAC -> "AUTH1 answered with a bad R-MAC";
      case NOT_READY_FIRST_SELECT -> "6A82 to the first SELECT framework";
      case LEAVE_FIELD_MID_STREAM -> "the phone leaves the field mid-stream";
      case SLOWER_THAN_T_APDU -> "the phone answers later than T_Apdu";
      case NO_COMMON_SPAKE2_VERSION -> "no common SPAKE2+ version";
      case NO_COMMON_APPLET_VERSION -> "no common DK applet version";
      case NEVER_SET_SIGBMP -> "SigBmp bit 0 never set";
      default -> reaction.quirk().cliName();
    };
  }

  private static String spaced(int p1p2) {
    String hex = Hex.u16(p1p2);
    return hex.substring(0, 2) + " " + hex.substring(2);
  }
}
