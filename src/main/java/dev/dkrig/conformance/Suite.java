package dev.dkrig.conformance;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNode;
import dev.dkrig.bench.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A suite file ({@code suites/*.yaml}): the scenarios to run, how often, and what the operator is
 * told between them. Every mistake is reported before the run as {@code FILE: FIELD: expected WHAT}
 * (exit 4), as rig and profile files are.
 *
 * <pre>
 * suite: conformance
 * repeat: 1                     # the whole list; multiplies with --repeat
 * promptWait: 15s               # non-interactive runs print each prompt and go on after this
 * deleteKeyPrompt: Delete ...   # before every fresh scenario on a real device; {vehicle}
 * scenarios:
 *   - scenario: spake2-wrong-m1
 *   - scenario: stream-oversize
 *     streamBytes: 16384        # a scenario parameter
 *     repeat: 3                 # this entry three times in a row
 *     fresh: false              # keep the device (and its keys) of the scenario before
 *   - prompt: Put the phone back on the pad.
 * </pre>
 *
 * @param repeat how often the whole list runs
 * @param promptWait how long a non-interactive run waits after printing a prompt
 * @param deleteKeyPrompt what a real device's operator is told before each fresh scenario
 */
public record Suite(
    ConfigSource source,
    byte[] bytes,
    String name,
    Optional<String> description,
    int repeat,
    Duration promptWait,
    String deleteKeyPrompt,
    List<Entry> entries) {

  public static final int MAX_REPEAT = 1000;
  public static final Duration DEFAULT_PROMPT_WAIT = Duration.ofSeconds(15);
  public static final String DEFAULT_DELETE_KEY_PROMPT =
      "Delete the Digital Key of vehicle {vehicle} on the device under test (wallet or car app),"
          + " then put the device back on the pad.";

  public Suite {
    bytes = bytes.clone();
    entries = List.copyOf(entries);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** One item of the {@code scenarios:} list. */
  public sealed interface Entry permits ScenarioEntry, PromptEntry {}

  /**
   * A scenario, run {@code repeat} times in a row.
   *
   * @param fresh the virtual device starts this scenario fresh; on a real device the operator is
   *     asked to delete the key first
   * @param prompt an extra instruction shown on a real device before the scenario
   */
  public record ScenarioEntry(
      ConformanceScenario scenario,
      int repeat,
      boolean fresh,
      Optional<String> prompt,
      Map<String, Long> parameters)
      implements Entry {
    public ScenarioEntry {
      parameters = Map.copyOf(parameters);
    }
  }

  /** An instruction for the operator of a real device, between scenarios. */
  public record PromptEntry(String text) implements Entry {}

  /** Every scenario run of one round, in order. */
  public int runsPerRound() {
    return entries.stream()
        .filter(e -> e instanceof ScenarioEntry)
        .mapToInt(e -> ((ScenarioEntry) e).repeat())
        .sum();
  }

  /** The names of the scenarios this suite runs, in file order, each once. */
  public List<String> scenarioNames() {
    return entries.stream()
        .filter(e -> e instanceof ScenarioEntry)
        .map(e -> ((ScenarioEntry) e).scenario().name())
        .distinct()
        .toList();
  }

  /**
   * This suite with only the entries of the named scenarios ({@code suite --only}), each keeping
   * the operator prompts just before it.
   *
   * @throws IllegalArgumentException for a name the suite does not run
   */
  public Suite only(java.util.Collection<String> names) {
    for (String name : names) {
      if (!scenarioNames().contains(name)) {
        throw new IllegalArgumentException(
            "no scenario '"
                + name
                + "' in "
                + source.displayName()
                + " (its scenarios: "
                + String.join(", ", scenarioNames())
                + ")");
      }
    }
    List<Entry> kept = new ArrayList<>();
    List<Entry> prompts = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry instanceof PromptEntry) {
        prompts.add(entry);
      } else if (names.contains(((ScenarioEntry) entry).scenario().name())) {
        kept.addAll(prompts);
        kept.add(entry);
        prompts.clear();
      } else {
        prompts.clear();
      }
    }
    return new Suite(source, bytes, name, description, repeat, promptWait, deleteKeyPrompt, kept);
  }

  /**
   * Reads and checks a suite file.
   *
   * @throws dev.dkrig.bench.ConfigException naming the file, the field and what was expected
   */
  public static Suite load(ConfigSource source) {
    byte[] bytes = ConfigNode.read(source);
    ConfigNode root = ConfigNode.parse(source, bytes);
    root.allowOnly("suite", "description", "repeat", "promptWait", "deleteKeyPrompt", "scenarios");
    String name = root.string("suite");
    if (name.isBlank()) {
      throw root.error("suite", "expected a name, got an empty text");
    }
    int repeat = root.has("repeat") ? (int) root.integer("repeat", 1, MAX_REPEAT) : 1;
    Duration wait = root.has("promptWait") ? root.duration("promptWait") : DEFAULT_PROMPT_WAIT;
    String deletePrompt = root.optionalString("deleteKeyPrompt").orElse(DEFAULT_DELETE_KEY_PROMPT);
    List<Entry> entries = new ArrayList<>();
    for (ConfigNode item : root.objects("scenarios")) {
      entries.add(entry(item));
    }
    if (entries.stream().noneMatch(e -> e instanceof ScenarioEntry)) {
      throw root.error("scenarios", "expected at least one '- scenario: NAME' entry");
    }
    return new Suite(
        source,
        bytes,
        name,
        root.optionalString("description"),
        repeat,
        wait,
        deletePrompt,
        entries);
  }

  private static Entry entry(ConfigNode item) {
    if (!item.has("scenario")) {
      if (!item.has("prompt")) {
        throw item.error("expected 'scenario: NAME' or 'prompt: TEXT'");
      }
      item.allowOnly("prompt");
      return new PromptEntry(item.string("prompt"));
    }
    String scenarioName = item.string("scenario");
    ConformanceScenario scenario =
        Scenarios.byName(scenarioName)
            .orElseThrow(
                () ->
                    item.error(
                        item.child("scenario"),
                        "unknown scenario '"
                            + scenarioName
                            + "' (expected one of: "
                            + String.join(", ", Scenarios.names())
                            + ")"));
    List<String> keys = new ArrayList<>(List.of("scenario", "repeat", "fresh", "prompt"));
    scenario.parameters().forEach(p -> keys.add(p.name()));
    item.allowOnly(keys.toArray(new String[0]));
    Map<String, Long> parameters = new LinkedHashMap<>();
    for (ConformanceScenario.Parameter p : scenario.parameters()) {
      if (item.has(p.name())) {
        try {
          parameters.put(p.name(), item.integer(p.name(), p.min(), p.max()));
        } catch (ConfigException e) {
          throw new ConfigException(e.getMessage() + ": " + p.meaning(), e);
        }
      }
    }
    return new ScenarioEntry(
        scenario,
        item.has("repeat") ? (int) item.integer("repeat", 1, MAX_REPEAT) : 1,
        item.bool("fresh", true),
        item.optionalString("prompt"),
        parameters);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Suite that
        && source.equals(that.source)
        && java.util.Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "Suite[" + name + " from " + source.displayName() + ", " + entries.size() + " entries]";
  }
}
