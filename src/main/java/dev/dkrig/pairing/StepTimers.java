package dev.dkrig.pairing;

import dev.dkrig.time.TimerName;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The Timers column of the step catalogue (§2): the §13 timers a step starts, watches (its result
 * depends on their expiry) or stops. Steps whose column is empty have none.
 *
 * @param starts timers the step starts (P1.6, P1.7)
 * @param watches timers whose expiry the step reports
 * @param stops timers the step stops (P3.6)
 */
public record StepTimers(List<TimerName> starts, List<TimerName> watches, List<TimerName> stops) {
  private static final StepTimers NONE = new StepTimers(List.of(), List.of(), List.of());
  private static final Map<Step, StepTimers> COLUMN = new EnumMap<>(Step.class);

  static {
    starts(Step.P1_6, TimerName.T_PairingModeTimeout);
    watches(Step.P1_6_3, TimerName.T_PairingModeTimeout);
    starts(Step.P1_7, TimerName.T_OwnerPairing);
    watches(Step.P1_7A, TimerName.T_OwnerPairing);
    watches(Step.P2_1, TimerName.T_Apdu, TimerName.T_PairingModeTimeout);
    watches(Step.P2_3, TimerName.T_Apdu, TimerName.T_PairingModeTimeout, TimerName.T_OwnerPairing);
    watches(Step.P2_4, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(
        Step.P2_5,
        TimerName.T_Apdu,
        TimerName.T_TxGap,
        TimerName.T_KeyCreation,
        TimerName.T_OwnerPairing);
    watches(Step.P2_6, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(Step.P2_7, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(Step.P2_8, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(Step.P3_1, TimerName.T_TxGap, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(Step.P3_3, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    watches(Step.P3_4, TimerName.T_Apdu, TimerName.T_OwnerPairing);
    COLUMN.put(Step.P3_6, new StepTimers(List.of(), List.of(), List.of(TimerName.T_OwnerPairing)));
    watches(Step.P4_1, TimerName.T_Apdu);
    watches(Step.P4_2, TimerName.T_Apdu);
    watches(Step.P4_2_1, TimerName.T_KtsWait, TimerName.T_KtsPollInterval);
    watches(Step.P4_2_2, TimerName.T_Apdu);
  }

  public StepTimers {
    starts = List.copyOf(starts);
    watches = List.copyOf(watches);
    stops = List.copyOf(stops);
  }

  /** The step's entry of the Timers column. */
  public static StepTimers of(Step step) {
    return COLUMN.getOrDefault(step, NONE);
  }

  public boolean isEmpty() {
    return starts.isEmpty() && watches.isEmpty() && stops.isEmpty();
  }

  /** The column as the catalogue writes it: {@code T_Apdu, T_OwnerPairing}, {@code starts X}. */
  @Override
  public String toString() {
    List<String> parts = new java.util.ArrayList<>();
    starts.forEach(t -> parts.add("starts " + t.name()));
    watches.forEach(t -> parts.add(t.name()));
    stops.forEach(t -> parts.add("stops " + t.name()));
    return String.join(", ", parts);
  }

  private static void starts(Step step, TimerName timer) {
    COLUMN.put(step, new StepTimers(List.of(timer), List.of(), List.of()));
  }

  private static void watches(Step step, TimerName... timers) {
    COLUMN.put(step, new StepTimers(List.of(), List.of(timers), List.of()));
  }
}
