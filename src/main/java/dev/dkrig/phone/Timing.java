package dev.dkrig.phone;

import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.util.Optional;

/**
 * Timing judged only against the timers the user gave, with the one tolerance of {@link
 * PhoneSettings#tolerance} (docs/phone-role.md, "Timing"). Each check returns the failure's
 * one-line text, naming the timer, the measured value and the tolerance; a timer not given is never
 * judged.
 */
final class Timing {
  private final PhoneSettings settings;

  Timing(PhoneSettings settings) {
    this.settings = settings;
  }

  boolean given(TimerName timer) {
    return settings.timer(timer).isPresent();
  }

  /** A limit: {@code measured} later than timer + tolerance FAILs. */
  Optional<String> late(TimerName timer, Duration measured, String what) {
    return settings
        .timer(timer)
        .filter(value -> measured.compareTo(value.plus(PhoneSettings.tolerance(value))) > 0)
        .map(value -> broken(timer, value, measured, what, "late"));
  }

  /** A lower limit: {@code measured} earlier than timer − tolerance FAILs. */
  Optional<String> early(TimerName timer, Duration measured, String what) {
    return settings
        .timer(timer)
        .filter(value -> measured.compareTo(value.minus(PhoneSettings.tolerance(value))) < 0)
        .map(value -> broken(timer, value, measured, what, "early"));
  }

  /** An interval: outside [timer − tolerance, timer + tolerance] FAILs. */
  Optional<String> offInterval(TimerName timer, Duration measured, String what) {
    return early(timer, measured, what).or(() -> late(timer, measured, what));
  }

  /** The measured value for a detail: judged against the timer, or not judged. */
  String measured(TimerName timer, Duration measured, String what) {
    return what
        + " "
        + Durations.format(measured)
        + settings
            .timer(timer)
            .map(
                value ->
                    " (" + timer + " " + Durations.format(value) + " ± " + tolerance(value) + ")")
            .orElse(" (" + timer + " not given: not judged)");
  }

  /** How long the phone waits for something bounded by {@code timer}: given + tolerance, else. */
  Duration wait(TimerName timer, Duration fallback) {
    return settings.timer(timer).map(v -> v.plus(PhoneSettings.tolerance(v))).orElse(fallback);
  }

  private static String broken(
      TimerName timer, Duration value, Duration measured, String what, String how) {
    return what
        + " "
        + Durations.format(measured)
        + ": too "
        + how
        + " for "
        + timer
        + " = "
        + Durations.format(value)
        + " (tolerance "
        + tolerance(value)
        + ")";
  }

  private static String tolerance(Duration value) {
    return Durations.format(PhoneSettings.tolerance(value));
  }
}
