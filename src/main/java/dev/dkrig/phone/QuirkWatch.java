package dev.dkrig.phone;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Watches for the vehicle's reaction to the phone's quirk (docs/phone-role.md, "Device quirks"):
 * the phone's answer to the trigger opens a window; the required abort in it is the reaction; a
 * wrong code, a command that shows the vehicle went on, or the field dropped without an abort is
 * none.
 */
final class QuirkWatch {

  /** What the vehicle did in the window. */
  record Judgement(boolean reacted, String detail) {}

  private final QuirkReactions.Reaction reaction;
  private boolean open;
  private Instant openedAt;
  private boolean decided;

  QuirkWatch(QuirkReactions.Reaction reaction) {
    this.reaction = reaction;
  }

  static Optional<QuirkWatch> of(Optional<DeviceQuirk> quirk) {
    return quirk.flatMap(QuirkReactions::of).map(QuirkWatch::new);
  }

  QuirkReactions.Reaction reaction() {
    return reaction;
  }

  DeviceQuirk quirk() {
    return reaction.quirk();
  }

  boolean decided() {
    return decided;
  }

  /**
   * A command came (before the phone's answer is looked at by anything else).
   *
   * @return the judgement when this command decides the reaction
   */
  Optional<Judgement> command(VehicleCommand command, String after) {
    if (!open || decided) {
      return Optional.empty();
    }
    if (command.isAbort()) {
      decided = true;
      if (command.p1p2() == reaction.abort()) {
        return Optional.of(
            new Judgement(
                true,
                "the vehicle aborted "
                    + AbortRules.spaced(reaction.abort())
                    + " "
                    + where()
                    + ", as the phone's quirk "
                    + quirk().cliName()
                    + " requires"));
      }
      return Optional.of(
          missed("wrong abort: " + AbortRules.spaced(command.p1p2()) + " after " + after));
    }
    if (reaction.place().showsGoingOn(command)) {
      decided = true;
      return Optional.of(
          missed("no abort: the vehicle went on with " + command.describe() + " after " + after));
    }
    return Optional.empty();
  }

  /** {@code right after the AUTH1 response (§11.6 step 3, §10.2)}. */
  private String where() {
    return reaction.place().text() + " (" + reaction.section() + ")";
  }

  /** The vehicle did not react as required: what it did, then what the quirk requires. */
  private Judgement missed(String what) {
    return new Judgement(
        false,
        what
            + "; the phone's quirk "
            + quirk().cliName()
            + " requires the abort "
            + AbortRules.spaced(reaction.abort())
            + " "
            + where());
  }

  /** The phone answered a command: a trigger answered with success opens the window. */
  void answered(VehicleCommand command, int sw, int getDataTag, Instant at) {
    if (decided || open || !command.is(reaction.place().trigger())) {
      return;
    }
    if (!reaction.place().isAbort()) {
      // A retry, a return to the field, phase-4 polling: no abort window; ReactionWatch judges
      // these reactions (issue 19 item 4).
      return;
    }
    if (reaction.trigger() >= 0 && getDataTag != reaction.trigger()) {
      return;
    }
    if (sw == 0x9000 || (sw >> 8) == 0x61) {
      open = true;
      openedAt = at;
    }
  }

  /** When the window opened, while it waits for the reaction. */
  Optional<Instant> waitingSince() {
    return open && !decided ? Optional.of(openedAt) : Optional.empty();
  }

  /** The wait for the reaction ran out with the field still on: no reaction either. */
  Judgement timedOut(String after, Duration waited) {
    decided = true;
    return missed("no abort within " + Durations.format(waited) + " after " + after);
  }

  /** The field went off: inside the window, that is no reaction. */
  Optional<Judgement> fieldOff(String after) {
    if (!open || decided) {
      return Optional.empty();
    }
    decided = true;
    return Optional.of(missed("no abort: the field was dropped after " + after));
  }
}
