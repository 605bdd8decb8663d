package dev.dkrig.conformance.vehicle;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNode;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.conformance.Suite;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vehicle conformance suite file ({@code suites/vehicle-conformance.yaml}, {@code dkrig suite
 * --role phone}): the scenarios in which the phone misbehaves, the vehicle's timers to judge
 * against, and what the operator is told between scenarios. Every mistake is reported before the
 * run as {@code FILE: FIELD: expected WHAT} (exit 4).
 *
 * <pre>
 * suite: vehicle-conformance
 * role: phone                    # required: the rig is the phone
 * wait: 120s                     # how long to wait for the vehicle's next attempt
 * restartPrompt: Restart ...     # told before each scenario; {scenario}
 * phase4Wait: 30s                # the phone's wait for phase 4 and after a reaction
 * timers:                        # the vehicle's §13 timers, for every scenario
 *   T_NotReadyRetry: 1s
 * scenarios:
 *   - scenario: wrong-m2
 *   - scenario: never-set-sigbmp
 *     timers: {T_KtsWait: 20s}   # wins over the suite's
 *     phase4Wait: 10s
 * </pre>
 */
public record VehicleSuite(
    ConfigSource source,
    byte[] bytes,
    String name,
    Optional<String> description,
    Duration attemptWait,
    String restartPrompt,
    Duration phase4Wait,
    Map<String, Duration> timers,
    List<Entry> entries) {

  public static final String ROLE = "phone";
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(120);
  public static final String DEFAULT_RESTART_PROMPT =
      "Start pairing mode on the head unit for {scenario} (the phone waits on the pad).";

  public VehicleSuite {
    bytes = bytes.clone();
    timers = Map.copyOf(timers);
    entries = List.copyOf(entries);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * One scenario of the list.
   *
   * @param timers the scenario's own timers (they win over the suite's)
   * @param phase4Wait the scenario's phase-4 wait, if it sets one
   */
  public record Entry(
      VehicleScenario scenario, Map<String, Duration> timers, Optional<Duration> phase4Wait) {
    public Entry {
      timers = Map.copyOf(timers);
    }
  }

  /** Whether a suite file is written for the phone role ({@code role: phone}). */
  public static boolean isPhoneSuite(ConfigSource source) {
    ConfigNode root = ConfigNode.parse(source, ConfigNode.read(source));
    return root.has("role") && ROLE.equals(root.string("role"));
  }

  /**
   * Reads and checks a suite file of the phone role.
   *
   * @throws ConfigException naming the file, the field and what was expected
   */
  public static VehicleSuite load(ConfigSource source) {
    byte[] bytes = ConfigNode.read(source);
    ConfigNode root = ConfigNode.parse(source, bytes);
    if (!root.has("role") || !ROLE.equals(root.string("role"))) {
      throw root.error("role", "expected 'phone' (a vehicle conformance suite for --role phone)");
    }
    root.allowOnly(
        "suite",
        "role",
        "description",
        "wait",
        "restartPrompt",
        "phase4Wait",
        "timers",
        "scenarios");
    String name = root.string("suite");
    if (name.isBlank()) {
      throw root.error("suite", "expected a name, got an empty text");
    }
    Duration wait = root.has("wait") ? positive(root, "wait") : DEFAULT_WAIT;
    Duration phase4Wait =
        root.has("phase4Wait") ? positive(root, "phase4Wait") : Duration.ofSeconds(30);
    Map<String, Duration> timers = timers(root);
    List<Entry> entries = new ArrayList<>();
    for (ConfigNode item : root.objects("scenarios")) {
      entries.add(entry(item));
    }
    if (entries.isEmpty()) {
      throw root.error("scenarios", "expected at least one '- scenario: NAME' entry");
    }
    return new VehicleSuite(
        source,
        bytes,
        name,
        root.optionalString("description"),
        wait,
        root.optionalString("restartPrompt").orElse(DEFAULT_RESTART_PROMPT),
        phase4Wait,
        timers,
        entries);
  }

  private static Entry entry(ConfigNode item) {
    item.allowOnly("scenario", "timers", "phase4Wait");
    String scenarioName = item.string("scenario");
    VehicleScenario scenario =
        VehicleScenario.byName(scenarioName)
            .orElseThrow(
                () ->
                    item.error(
                        item.child("scenario"),
                        "unknown scenario '"
                            + scenarioName
                            + "' (expected one of: "
                            + String.join(", ", VehicleScenario.names())
                            + ")"));
    return new Entry(
        scenario,
        timers(item),
        item.has("phase4Wait") ? Optional.of(positive(item, "phase4Wait")) : Optional.empty());
  }

  private static Map<String, Duration> timers(ConfigNode node) {
    Map<String, Duration> out = new LinkedHashMap<>();
    if (!node.has("timers")) {
      return out;
    }
    ConfigNode timers = node.object("timers");
    for (Map.Entry<String, String> e : timers.entries().entrySet()) {
      String field = timers.child(e.getKey());
      TimerName timer;
      try {
        timer = TimerName.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw timers.error(
            field,
            "unknown timer (expected one of: "
                + String.join(", ", Arrays.stream(TimerName.values()).map(Enum::name).toList())
                + ")");
      }
      Duration value;
      try {
        value = Durations.parse(e.getValue());
      } catch (IllegalArgumentException ex) {
        throw timers.error(field, "expected a duration such as 5s or 500ms: " + ex.getMessage());
      }
      if (value.isZero() || value.isNegative()) {
        throw timers.error(field, "expected a positive duration");
      }
      out.put(timer.name(), value);
    }
    return out;
  }

  private static Duration positive(ConfigNode node, String key) {
    Duration value = node.duration(key);
    if (value.isZero() || value.isNegative()) {
      throw node.error(node.child(key), "expected a positive duration");
    }
    return value;
  }

  /** The scenario names, in file order, each once. */
  public List<String> scenarioNames() {
    return entries.stream().map(e -> e.scenario().name()).distinct().toList();
  }

  /**
   * The suite with only the named scenarios ({@code suite --only}).
   *
   * @throws IllegalArgumentException for a name the suite does not run
   */
  public VehicleSuite only(Collection<String> names) {
    for (String n : names) {
      if (!scenarioNames().contains(n)) {
        throw new IllegalArgumentException(
            "no scenario '"
                + n
                + "' in "
                + source.displayName()
                + " (its scenarios: "
                + String.join(", ", scenarioNames())
                + ")");
      }
    }
    List<Entry> kept = entries.stream().filter(e -> names.contains(e.scenario().name())).toList();
    return new VehicleSuite(
        source, bytes, name, description, attemptWait, restartPrompt, phase4Wait, timers, kept);
  }

  /** The suite as the suite documents render it (JSON, JUnit, the console). */
  public Suite asSuite() {
    List<Suite.Entry> list = new ArrayList<>();
    for (Entry e : entries) {
      list.add(
          new Suite.ScenarioEntry(
              e.scenario().asConformanceScenario(), 1, true, Optional.empty(), Map.of()));
    }
    return new Suite(source, bytes, name, description, 1, Duration.ZERO, restartPrompt, list);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VehicleSuite that
        && source.equals(that.source)
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "VehicleSuite[" + name + " from " + source.displayName() + ", " + entries.size() + "]";
  }
}
