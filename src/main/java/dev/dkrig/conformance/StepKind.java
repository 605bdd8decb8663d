package dev.dkrig.conformance;

/** What a scenario step is for; reports group and label steps by it. */
public enum StepKind {
  /** A conforming step that brings the device to the state the deviation needs. */
  SETUP,
  /** The vehicle's deliberate deviation and the status word it must get back. */
  DEVIATION,
  /** A further reaction the contract requires: session dropped, no key created, DK intact. */
  REACTION,
  /** Clean-up and the clean owner pairing that shows the device recovered. */
  RECOVERY;

  /** Lower case, for reports: {@code deviation}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
