package dev.dkrig.conformance;

/**
 * What a suite run reports as it happens: scenario and step boundaries, waits for the operator,
 * prompts. The console implements it; tests may listen too.
 */
public interface SuiteListener {

  default void scenarioStarted(String label, ConformanceScenario scenario) {}

  default void stepStarted(String label, String step) {}

  default void stepFinished(String label, ScenarioStep step) {}

  default void scenarioFinished(ScenarioResult result) {}

  /** The run waits for the device to be presented; one line for the operator. */
  default void waiting(String instruction) {}

  default void waitingOver() {}

  /** A bench note (a fresh virtual device, a skipped prompt). */
  default void note(String text) {}

  static SuiteListener none() {
    return new SuiteListener() {};
  }
}
