package dev.dkrig.device;

/** The life of a committed Digital Key on the device (§3.6, §11.8). */
public enum DkState {
  /** Committed by OP CONTROL FLOW {@code 11 11}; no standard transaction has finished yet. */
  CREATED,
  /** A standard transaction ended with CONTROL FLOW {@code 01} (P3.4 the first time). */
  ACTIVE
}
