package dev.dkrig.conformance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named vehicle-side deviation and the device reaction the contract requires. {@link #play}
 * drives the device through a {@link ScenarioRun}: conforming set-up steps, the deviation, and the
 * reaction checks; the runner adds the clean-up and the clean pairing that shows recovery.
 *
 * @param name the suite-file name, e.g. {@code spake2-wrong-m1}
 * @param title a short title for tables
 * @param deviation what the vehicle does wrong, one line
 * @param requiredReaction what the device must do, one line with the contract sections
 * @param parameters the tunable values a suite entry may set
 * @param catches the virtual device's quirks ({@code --device-quirk NAME}) this scenario FAILs
 *     against: how the rig shows that the scenario can fail at all (issue 8); the first is the
 *     quirk made for it, the others break it on the way
 */
public record ConformanceScenario(
    String name,
    String title,
    String deviation,
    String requiredReaction,
    List<Parameter> parameters,
    List<String> catches,
    Play play) {

  public ConformanceScenario {
    Objects.requireNonNull(name, "name");
    parameters = List.copyOf(parameters);
    catches = List.copyOf(catches);
  }

  static ConformanceScenario of(
      String name, String title, String deviation, String requiredReaction, Play play) {
    return new ConformanceScenario(
        name, title, deviation, requiredReaction, List.of(), List.of(), play);
  }

  ConformanceScenario withParameter(Parameter parameter) {
    List<Parameter> more = new java.util.ArrayList<>(parameters);
    more.add(parameter);
    return new ConformanceScenario(name, title, deviation, requiredReaction, more, catches, play);
  }

  /** The scenario with the names of the device quirks it catches ({@link #catches}). */
  ConformanceScenario catching(String... quirks) {
    return new ConformanceScenario(
        name, title, deviation, requiredReaction, parameters, List.of(quirks), play);
  }

  public Optional<Parameter> parameter(String key) {
    return parameters.stream().filter(p -> p.name().equals(key)).findFirst();
  }

  /** The body of a scenario. */
  @FunctionalInterface
  public interface Play {
    void play(ScenarioRun run) throws InterruptedException;
  }

  /**
   * An integer a suite entry may set for this scenario ({@code streamBytes: 16384}).
   *
   * @param meaning one line for errors and help
   */
  public record Parameter(String name, long min, long max, long defaultValue, String meaning) {}

  @Override
  public String toString() {
    return name;
  }
}
