package dev.dkrig.phone;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user told the phone about the vehicle under test and the run (docs/phone-role.md,
 * "Timing", "Waits", "Device quirks").
 *
 * @param timers the vehicle's §13 timers to judge against ({@code T_TxGap} → 50 ms), by the
 *     contract's names; a timer not given is never judged, only measured
 * @param phase4Wait how long the phone waits for each phase-4 transaction (default 30 s)
 * @param phase4 false with {@code --no-phase4}: the run ends after P3.4
 * @param quirk the device quirk the phone misbehaves with on purpose, one of {@link
 *     #acceptedQuirks()}
 */
public record PhoneSettings(
    Map<String, Duration> timers,
    Duration phase4Wait,
    boolean phase4,
    Optional<DeviceQuirk> quirk) {

  public static final Duration DEFAULT_PHASE4_WAIT = Duration.ofSeconds(30);

  /** The tolerance's floor: 10 % of the timer or this, whichever is larger. */
  public static final Duration MIN_TOLERANCE = Duration.ofMillis(100);

  /** How long the phone waits for a transaction's SELECT after {@code 10 01} or {@code 11 11}. */
  public static final Duration DEFAULT_TX_GAP_WAIT = Duration.ofSeconds(60);

  /** How long the phone waits for its first contact when T_PairingModeTimeout is not given. */
  public static final Duration DEFAULT_FIRST_CONTACT_WAIT = Duration.ofSeconds(300);

  /**
   * @throws IllegalArgumentException for an unknown timer name, a negative or zero duration, or a
   *     quirk the phone role does not accept (naming it and the accepted ones)
   */
  public PhoneSettings {
    Map<String, Duration> canonical = new LinkedHashMap<>();
    for (Map.Entry<String, Duration> entry : timers.entrySet()) {
      TimerName name = TimerName.parse(entry.getKey());
      Duration value = Objects.requireNonNull(entry.getValue(), entry.getKey());
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      canonical.put(name.name(), value);
    }
    timers = Collections.unmodifiableMap(canonical);
    Objects.requireNonNull(phase4Wait, "phase4Wait");
    if (phase4Wait.isNegative() || phase4Wait.isZero()) {
      throw new IllegalArgumentException("the phase-4 wait must be positive: " + phase4Wait);
    }
    quirk.ifPresent(PhoneSettings::checkQuirk);
  }

  /** No timers, phase 4 on with the default wait, no quirk. */
  public static PhoneSettings defaults() {
    return new PhoneSettings(Map.of(), DEFAULT_PHASE4_WAIT, true, Optional.empty());
  }

  public PhoneSettings withTimer(String name, Duration value) {
    Map<String, Duration> more = new LinkedHashMap<>(timers);
    more.put(name, value);
    return new PhoneSettings(more, phase4Wait, phase4, quirk);
  }

  public PhoneSettings withPhase4Wait(Duration wait) {
    return new PhoneSettings(timers, wait, phase4, quirk);
  }

  public PhoneSettings withoutPhase4() {
    return new PhoneSettings(timers, phase4Wait, false, quirk);
  }

  public PhoneSettings withQuirk(DeviceQuirk deviceQuirk) {
    return new PhoneSettings(timers, phase4Wait, phase4, Optional.of(deviceQuirk));
  }

  /** The timer the user gave, if any. */
  public Optional<Duration> timer(TimerName name) {
    return Optional.ofNullable(timers.get(name.name()));
  }

  /** The timers given, by name. */
  public Map<TimerName, Duration> givenTimers() {
    Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
    timers.forEach((name, value) -> out.put(TimerName.valueOf(name), value));
    return out;
  }

  /** The one tolerance rule: 10 % of the timer or 100 ms, whichever is larger. */
  public static Duration tolerance(Duration timer) {
    Duration tenth = timer.dividedBy(10);
    return tenth.compareTo(MIN_TOLERANCE) > 0 ? tenth : MIN_TOLERANCE;
  }

  /** The quirks the phone role takes: those with a reaction in {@link QuirkReactions}. */
  public static List<DeviceQuirk> acceptedQuirks() {
    return QuirkReactions.quirks();
  }

  /**
   * @throws IllegalArgumentException naming the quirk and the accepted ones, when the vehicle
   *     cannot react to it (it only changes how the phone answers a misbehaving vehicle)
   */
  public static void checkQuirk(DeviceQuirk quirk) {
    if (!acceptedQuirks().contains(quirk)) {
      throw new IllegalArgumentException(
          "device quirk '"
              + quirk.cliName()
              + "' tests nothing in the phone role (it changes only how the phone answers a"
              + " misbehaving vehicle); the phone takes: "
              + String.join(", ", acceptedQuirks().stream().map(DeviceQuirk::cliName).toList()));
    }
  }
}
