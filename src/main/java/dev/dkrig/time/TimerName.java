package dev.dkrig.time;

import dev.dkrig.ccc.DkProfile;
import java.time.Duration;
import java.util.Locale;

/** The timers of §13 with their contract defaults. */
public enum TimerName {
  T_PairingModeTimeout(DkProfile.T_PAIRING_MODE_TIMEOUT),
  T_OwnerPairing(DkProfile.T_OWNER_PAIRING),
  T_Apdu(DkProfile.T_APDU),
  T_TxGap(DkProfile.T_TX_GAP),
  T_KeyCreation(DkProfile.T_KEY_CREATION),
  T_StatusPoll(DkProfile.T_STATUS_POLL),
  T_NotReadyRetry(DkProfile.T_NOT_READY_RETRY),
  T_KtsPollInterval(DkProfile.T_KTS_POLL_INTERVAL),
  T_KtsWait(DkProfile.T_KTS_WAIT),
  T_KtsDelay(DkProfile.T_KTS_DELAY);

  private final Duration defaultValue;

  TimerName(Duration defaultValue) {
    this.defaultValue = defaultValue;
  }

  public Duration defaultValue() {
    return defaultValue;
  }

  /**
   * Only the simulated KTS's delay may be 0 (its default). Every other timer bounds a wait or paces
   * a loop: at 0 a deadline expires at once, so a run would FAIL the device for the user's setting,
   * and an interval would spin.
   */
  public boolean mayBeZero() {
    return this == T_KtsDelay;
  }

  /** Accepts the contract's spelling, case-insensitive, with or without the {@code T_}. */
  public static TimerName parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    for (TimerName name : values()) {
      String candidate = name.name().toLowerCase(Locale.ROOT).replace("_", "");
      if (candidate.equals(wanted) || candidate.substring(1).equals(wanted)) {
        return name;
      }
    }
    throw new IllegalArgumentException("unknown timer '" + text + "' (known: " + known() + ")");
  }

  /** The timers' names, comma-separated, for messages about a misspelt one. */
  public static String known() {
    return String.join(", ", java.util.Arrays.stream(values()).map(Enum::name).toList());
  }
}
