package dev.dkrig.phone;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.Step;
import java.util.List;
import java.util.Optional;

/**
 * The one table of device quirks the phone role takes and how the vehicle must react to each
 * (docs/phone-role.md, "Device quirks"): the step that judges the reaction, the abort the vehicle
 * must send, and where it must come. A new quirk for the vehicle conformance suite adds a row here
 * (and, if it reacts somewhere new, a {@link Place}). {@link ReactionWatch} judges a reaction from
 * the events that reach the phone.
 */
public final class QuirkReactions {

  /**
   * Where the reaction must come: the phone's answer to a trigger command opens the window; the
   * required abort must come before any command that shows the vehicle went on.
   */
  public enum Place {
    /** The very next command after the phone answered AUTH1 (§11.6). */
    RIGHT_AFTER_AUTH1("right after the AUTH1 response", VehicleCommand.Kind.AUTH1, true, List.of()),
    /** The very next command after the phone's {@code 9000} to the first SELECT framework (§4). */
    RIGHT_AFTER_SELECT(
        "right after the SELECT framework response",
        VehicleCommand.Kind.SELECT_FRAMEWORK,
        true,
        List.of()),
    /** The very next command after the phone answered the first SPAKE2+ REQUEST (§13, T_Apdu). */
    RIGHT_AFTER_REQUEST(
        "right after the (late) REQUEST response", VehicleCommand.Kind.REQUEST, true, List.of()),
    /** The very next command after the phone answered VERIFY (§5.4). */
    RIGHT_AFTER_VERIFY(
        "right after the VERIFY response", VehicleCommand.Kind.VERIFY, true, List.of()),
    /** The very next command after the phone answered the first WRITE DATA (§6.1). */
    RIGHT_AFTER_WRITE_DATA(
        "right after the first WRITE DATA response",
        VehicleCommand.Kind.WRITE_DATA,
        true,
        List.of()),
    /**
     * Not an abort: after the phone's {@code 6A82} to the first SELECT framework, an NFC reset and
     * a new SELECT framework, after T_NotReadyRetry when given (§2.2 P2.1, §3.5).
     */
    RETRY_AFTER_NOT_READY(
        "after the 6A82 to the first SELECT framework",
        VehicleCommand.Kind.SELECT_FRAMEWORK,
        false,
        List.of()),
    /**
     * Not an abort: the phone left the field instead of answering a WRITE DATA; on its return,
     * nothing but a new SELECT framework (§18.18, §3.6).
     */
    ON_RETURN_TO_FIELD(
        "when the phone returns to the field", VehicleCommand.Kind.WRITE_DATA, false, List.of()),
    /**
     * Not an abort: after P3.4, phase-4 transactions at T_KtsPollInterval, each ending {@code 80 3C
     * 01 00} without EXCHANGE, until T_KtsWait, then none (§12.2).
     */
    POLLING_UNTIL_KTS_WAIT(
        "in phase 4, after P3.4", VehicleCommand.Kind.CONTROL_FLOW, false, List.of()),
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

    /** Whether the vehicle's reaction is an abort ({@link Reaction#abort()}) at this place. */
    public boolean isAbort() {
      return this != RETRY_AFTER_NOT_READY
          && this != ON_RETURN_TO_FIELD
          && this != POLLING_UNTIL_KTS_WAIT;
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
   * @param abort the P1 P2 of the abort the vehicle must send ({@code 000B}, {@code 120A}), or -1
   *     where the reaction is not an abort ({@link Place#isAbort()})
   * @param place where it must come
   * @param section the contract section that requires it
   * @param trigger extra condition on the trigger command: for GET DATA, the tag it asked for (read
   *     by the device from the plaintext), -1 for any
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
              0x7F20),
          // Issue 19 item 4: the vehicle conformance suite's quirks.
          new Reaction(
              DeviceQuirk.WRONG_M2, Step.P2_3, 0x1209, Place.RIGHT_AFTER_VERIFY, "§5.4", -1),
          new Reaction(
              DeviceQuirk.BAD_FRAMEWORK_RMAC,
              Step.P2_4,
              0x1200,
              Place.RIGHT_AFTER_WRITE_DATA,
              "§6.1",
              -1),
          new Reaction(
              DeviceQuirk.UNVERIFIABLE_CHAIN,
              Step.P2_6_1,
              0x120B,
              Place.AFTER_CERTIFICATES_BEFORE_ATTESTATION,
              "§8.5",
              -1),
          new Reaction(
              DeviceQuirk.BAD_APPLET_RMAC,
              Step.P3_3,
              0x0000,
              Place.RIGHT_AFTER_AUTH1,
              "§6.1, §11.6 step 1",
              -1),
          new Reaction(
              DeviceQuirk.NOT_READY_FIRST_SELECT,
              Step.P2_1,
              -1,
              Place.RETRY_AFTER_NOT_READY,
              "§2.2 P2.1, §3.5",
              -1),
          new Reaction(
              DeviceQuirk.LEAVE_FIELD_MID_STREAM,
              Step.P2_4,
              -1,
              Place.ON_RETURN_TO_FIELD,
              "§18.18, §3.6",
              -1),
          new Reaction(
              DeviceQuirk.SLOWER_THAN_T_APDU,
              Step.P2_3,
              0x1204,
              Place.RIGHT_AFTER_REQUEST,
              "§13, §10.2",
              -1),
          new Reaction(
              DeviceQuirk.NO_COMMON_SPAKE2_VERSION,
              Step.P2_2,
              0x1201,
              Place.RIGHT_AFTER_SELECT,
              "§4",
              -1),
          new Reaction(
              DeviceQuirk.NO_COMMON_APPLET_VERSION,
              Step.P2_2,
              0x1202,
              Place.RIGHT_AFTER_SELECT,
              "§4",
              -1),
          new Reaction(
              DeviceQuirk.NEVER_SET_SIGBMP,
              Step.P4_2_1,
              -1,
              Place.POLLING_UNTIL_KTS_WAIT,
              "§12.2",
              -1));

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
