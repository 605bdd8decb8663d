package dev.dkrig.device;

/** The states of the DK applet on the device (§3.6). */
public enum AppletState {
  /** Not selected. */
  IDLE,
  /** Selected; AUTH0 expected. */
  SELECTED_A,
  /** AUTH0 answered; AUTH1 expected. */
  AUTH0_DONE,
  /** AUTH1 answered; the applet channel is open. */
  SECURE_A
}
