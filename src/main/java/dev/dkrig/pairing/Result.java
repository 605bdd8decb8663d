package dev.dkrig.pairing;

/** The result kinds of §2. */
public enum Result {
  /** The step did what the contract requires. */
  PASS,
  /** The device or the user misbehaved, or a protocol timer expired. */
  FAIL,
  /** Rig, reader, adapter or provisioning fault: inconclusive. */
  ERROR,
  /** Not reached after an earlier FAIL/ERROR, or not applicable. */
  SKIPPED,
  /** Not observable by the vehicle, or a marker. */
  INFO
}
