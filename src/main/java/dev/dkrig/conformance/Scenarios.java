package dev.dkrig.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of conformance scenarios, in the order {@code suites/conformance.yaml} runs them.
 */
public final class Scenarios {
  private static final List<ConformanceScenario> ALL = build();

  private Scenarios() {}

  /** Opening a session, then session 1 (the framework), then standard transactions (§11). */
  private static List<ConformanceScenario> build() {
    List<ConformanceScenario> all = new ArrayList<>();
    all.addAll(SessionScenarios.all());
    all.addAll(FrameworkScenarios.all());
    all.addAll(AppletScenarios.all());
    return List.copyOf(all);
  }

  public static List<ConformanceScenario> all() {
    return ALL;
  }

  public static Optional<ConformanceScenario> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(ConformanceScenario::name).toList();
  }
}
