package dev.dkrig.pairing.protocol;

/** How a role bounds and paces the GET DATA 7F26 polls of P2.5 (T_KeyCreation, T_StatusPoll). */
public interface KeyCreationWait {
  /** Whether the wait for the key is over (T_KeyCreation expired). */
  boolean expired();

  /** The failure when the wait ends with the key still in progress after {@code polls} polls. */
  StepFailure expiry(int polls);

  /** Waits before the next poll (T_StatusPoll). */
  void pause() throws InterruptedException;
}
