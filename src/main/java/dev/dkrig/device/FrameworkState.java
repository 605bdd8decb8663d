package dev.dkrig.device;

/** The states of the DK Framework on the device (§3.6). */
public enum FrameworkState {
  /** Not selected (and no transaction-1 state kept). */
  IDLE,
  /** Selected, no SPAKE2+ run in progress. */
  SELECTED,
  /** SPAKE2+ REQUEST answered; VERIFY expected. */
  REQUESTED,
  /** Framework keys established; transaction-1 WRITE DATA stream expected. */
  SECURE,
  /** The transaction-1 stream was validated; OP CONTROL FLOW {@code 10 01} expected. */
  DATA_DONE,
  /** The DK was created; keys, counter and MCV are kept across the NFC reset (§6.2). */
  AWAIT_TX2,
  /** Transaction 2: GET DATA and the 5F5A stream. */
  TX2,
  /** The 5F5A stream was accepted; OP CONTROL FLOW {@code 11 11} expected. */
  ATTESTED
}
