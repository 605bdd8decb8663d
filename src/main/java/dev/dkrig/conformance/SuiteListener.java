package dev.dkrig.conformance;

import java.util.List;

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

  /** A listener that forwards to several, in order. */
  static SuiteListener all(List<SuiteListener> listeners) {
    return new SuiteListener() {
      @Override
      public void scenarioStarted(String label, ConformanceScenario scenario) {
        listeners.forEach(l -> l.scenarioStarted(label, scenario));
      }

      @Override
      public void stepStarted(String label, String step) {
        listeners.forEach(l -> l.stepStarted(label, step));
      }

      @Override
      public void stepFinished(String label, ScenarioStep step) {
        listeners.forEach(l -> l.stepFinished(label, step));
      }

      @Override
      public void scenarioFinished(ScenarioResult result) {
        listeners.forEach(l -> l.scenarioFinished(result));
      }

      @Override
      public void waiting(String instruction) {
        listeners.forEach(l -> l.waiting(instruction));
      }

      @Override
      public void waitingOver() {
        listeners.forEach(SuiteListener::waitingOver);
      }

      @Override
      public void note(String text) {
        listeners.forEach(l -> l.note(text));
      }
    };
  }
}
