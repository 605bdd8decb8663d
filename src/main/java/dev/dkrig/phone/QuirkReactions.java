package dev.dkrig.phone;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.Step;
import java.util.List;
import java.util.Optional;

/**
 * The one table of device quirks the phone role takes and how the vehicle must react to each
 * (docs/phone-role.md, "Device quirks"): the step that judges the reaction, the abort the vehicle
 * must send, and where it must come. A new quirk for the vehicle conformance suite adds a row here
 * (and, if it reacts somewhere new, a {@link Place}).
 */
public final class QuirkReactions {

  /**
   * Where the reaction must come: the phone's answer to a trigger command opens the window; the
   * required abort must come before any command that shows the vehicle went on.
   */
  public enum Place {
    /** The very next command after the phone answered AUTH1 (§11.6). */
    RIGHT_AFTER_AUTH1("right after the AUTH1 response", VehicleCommand.Kind.AUTH1, true, List.of()),
    /**
     * After the phone's DK certificate H ({@code GET DATA 7F20}) was read and before any
     * transaction-2 WRITE DATA (§8.6).
     */
    AFTER_CERTIFICATES_BEFORE_ATTESTATION(
        "after H was read and before the 5F5A WRITE DATA",
        VehicleCommand.Kind.GET_DATA,
        false,
        List.of(VehicleCommand.Kind.WRITE_DATA, VehicleCommand.Kind.OP_CONTROL_FLOW));

    private final String text;
    private final VehicleCommand.Kind trigger;
    private final boolean nextCommandOnly;
    private final List<VehicleCommand.Kind> goingOn;

    Place(
        String text,
        VehicleCommand.Kind trigger,
        boolean nextCommandOnly,
        List<VehicleCommand.Kind> goingOn) {
      this.text = text;
      this.trigger = trigger;
      this.nextCommandOnly = nextCommandOnly;
      this.goingOn = goingOn;
    }

    /** How the detail names the place. */
    public String text() {
      return text;
    }

    VehicleCommand.Kind trigger() {
      return trigger;
    }

    /** The reaction must be the command right after the trigger's answer. */
    boolean nextCommandOnly() {
      return nextCommandOnly;
    }

    /**
     * Whether this command, arriving in the window and not being the required abort, shows that the
     * vehicle went on without reacting.
     */
    boolean showsGoingOn(VehicleCommand command) {
      if (command.isAbort()) {
        return false;
      }
      return nextCommandOnly || goingOn.contains(command.kind());
    }
  }

  /**
   * One quirk's reaction.
   *
   * @param quirk the device quirk
   * @param step the step that judges the vehicle's reaction
   * @param abort the P1 P2 of the abort the vehicle must send ({@code 000B}, {@code 120A})
   * @param place where it must come
   * @param section the contract section that requires it
   * @param trigger extra condition on the trigger command: for GET DATA, its tag (-1 for any)
   */
  public record Reaction(
      DeviceQuirk quirk, Step step, int abort, Place place, String section, int trigger) {}

  private static final List<Reaction> REACTIONS =
      List.of(
          new Reaction(
              DeviceQuirk.BAD_ENDPOINT_SIGNATURE,
              Step.P3_3,
              0x000B,
              Place.RIGHT_AFTER_AUTH1,
              "§11.6 step 3, §10.2",
              -1),
          new Reaction(
              DeviceQuirk.WRONG_KEY_SLOT,
              Step.P3_3,
              0x000A,
              Place.RIGHT_AFTER_AUTH1,
              "§11.6 step 4, §18.3",
              -1),
          new Reaction(
              DeviceQuirk.WRONG_VEHICLE_ID_IN_CERTIFICATE,
              Step.P2_6_2,
              0x120A,
              Place.AFTER_CERTIFICATES_BEFORE_ATTESTATION,
              "§8.6 step 1",
              0x7F20));

  private QuirkReactions() {}

  /** The quirks the phone role takes, in table order. */
  public static List<DeviceQuirk> quirks() {
    return REACTIONS.stream().map(Reaction::quirk).toList();
  }

  /** All reactions, in table order. */
  public static List<Reaction> all() {
    return REACTIONS;
  }

  public static Optional<Reaction> of(DeviceQuirk quirk) {
    return REACTIONS.stream().filter(r -> r.quirk() == quirk).findFirst();
  }
}
