package dev.dkrig.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Suite files load with per-field errors (file, field, expected), as rig and profile files do. */
class SuiteFileTest {
  @TempDir Path dir;

  private Suite load(String yaml) throws Exception {
    Path file = dir.resolve("suite.yaml");
    Files.writeString(file, yaml);
    return Suite.load(ConfigSource.file(file));
  }

  @Test
  @DisplayName("suites/conformance.yaml lists every scenario of the catalogue once, in order")
  void conformanceHoldsThemAll() {
    Suite suite = Suite.load(ConfigSource.file(Path.of("suites/conformance.yaml")));
    assertEquals("conformance", suite.name());
    assertEquals(1, suite.repeat());
    assertEquals(Duration.ofSeconds(15), suite.promptWait());
    assertEquals(
        Scenarios.names(),
        suite.entries().stream().map(e -> ((Suite.ScenarioEntry) e).scenario().name()).toList());
  }

  @Test
  @DisplayName("entries: scenario with repeat, fresh, prompt and a parameter; prompt entries")
  void entries() throws Exception {
    Suite suite =
        load(
            "suite: s\n"
                + "repeat: 3\n"
                + "promptWait: 2s\n"
                + "deleteKeyPrompt: go {vehicle}\n"
                + "scenarios:\n"
                + "  - prompt: hello\n"
                + "  - scenario: stream-oversize\n"
                + "    streamBytes: 9000\n"
                + "    repeat: 2\n"
                + "    fresh: false\n"
                + "    prompt: keep it there\n");
    assertEquals(3, suite.repeat());
    assertEquals(Duration.ofSeconds(2), suite.promptWait());
    assertEquals("go {vehicle}", suite.deleteKeyPrompt());
    assertEquals(new Suite.PromptEntry("hello"), suite.entries().get(0));
    Suite.ScenarioEntry entry = assertInstanceOf(Suite.ScenarioEntry.class, suite.entries().get(1));
    assertEquals("stream-oversize", entry.scenario().name());
    assertEquals(2, entry.repeat());
    assertEquals(false, entry.fresh());
    assertEquals("keep it there", entry.prompt().orElseThrow());
    assertEquals(9000L, entry.parameters().get("streamBytes"));
    assertEquals(2, suite.runsPerRound());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "unknown top key | suite: s\\nrepeats: 2\\nscenarios:\\n  - scenario: sm-bad-cmac"
            + " | suite.yaml: repeats: unknown key (expected one of: deleteKeyPrompt,"
            + " description, promptWait, repeat, scenarios, suite)",
        "no suite name | scenarios:\\n  - scenario: sm-bad-cmac | suite.yaml: suite: missing",
        "repeat 0 | suite: s\\nrepeat: 0\\nscenarios:\\n  - scenario: sm-bad-cmac"
            + " | suite.yaml: repeat: expected an integer 1..1000, got 0",
        "bad wait | suite: s\\npromptWait: soon\\nscenarios:\\n  - scenario: sm-bad-cmac"
            + " | suite.yaml: promptWait: 'soon' is not a duration",
        "unitless wait | suite: s\\npromptWait: 15\\nscenarios:\\n  - scenario: sm-bad-cmac"
            + " | suite.yaml: promptWait: '15' has no unit: write 15ms or 15s",
        "scenarios not a list | suite: s\\nscenarios: sm-bad-cmac"
            + " | suite.yaml: scenarios: expected a list, got 'sm-bad-cmac'",
        "item not a mapping | suite: s\\nscenarios:\\n  - sm-bad-cmac"
            + " | suite.yaml: scenarios[0]: expected a mapping, got 'sm-bad-cmac'",
        "unknown scenario | suite: s\\nscenarios:\\n  - scenario: sm-bad-mac"
            + " | suite.yaml: scenarios[0].scenario: unknown scenario 'sm-bad-mac' (expected"
            + " one of: ",
        "entry key | suite: s\\nscenarios:\\n  - scenario: sm-bad-cmac\\n    streamBytes: 5000"
            + " | suite.yaml: scenarios[0].streamBytes: unknown key (expected one of: fresh,"
            + " prompt, repeat, scenario)",
        "parameter range | suite: s\\nscenarios:\\n  - scenario: stream-oversize\\n"
            + "    streamBytes: 8192 | suite.yaml: scenarios[0].streamBytes: expected an integer"
            + " 8704..59750, got 8192: length of the oversize stream; a suite may only raise it",
        "entry repeat | suite: s\\nscenarios:\\n  - scenario: sm-bad-cmac\\n    repeat: x"
            + " | suite.yaml: scenarios[0].repeat: expected an integer 1..1000, got 'x'",
        "fresh | suite: s\\nscenarios:\\n  - scenario: sm-bad-cmac\\n    fresh: maybe"
            + " | suite.yaml: scenarios[0].fresh: expected on/off (or true/false), got 'maybe'",
        "empty entry | suite: s\\nscenarios:\\n  - repeat: 2"
            + " | suite.yaml: scenarios[0]: expected 'scenario: NAME' or 'prompt: TEXT'",
        "prompt with more | suite: s\\nscenarios:\\n  - prompt: hi\\n    repeat: 2"
            + " | suite.yaml: scenarios[0].repeat: unknown key (expected one of: prompt)",
        "only prompts | suite: s\\nscenarios:\\n  - prompt: hi"
            + " | suite.yaml: scenarios: expected at least one '- scenario: NAME' entry",
      })
  @DisplayName("each mistake names the file, the field and what was expected")
  void errors(String what, String yaml, String message) throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml.replace("\\n", "\n")));
    String actual = e.getMessage().replace(dir.resolve("suite.yaml").toString(), "suite.yaml");
    org.junit.jupiter.api.Assertions.assertTrue(
        actual.startsWith(message.strip()), what + ": " + actual);
  }

  @Test
  @DisplayName("a missing or empty file is a configuration error too")
  void missingFile() throws Exception {
    assertThrows(
        ConfigException.class, () -> Suite.load(ConfigSource.file(dir.resolve("none.yaml"))));
    ConfigException empty = assertThrows(ConfigException.class, () -> load(""));
    assertEquals(dir.resolve("suite.yaml") + ": the file is empty", empty.getMessage());
  }

  /**
   * The scenarios issue 8 asked for. A new scenario goes into the catalogue and {@code
   * suites/conformance.yaml} (which {@link #conformanceHoldsThemAll} holds equal) and touches no
   * test; none of these may go.
   */
  private static final List<String> ISSUE_8 =
      List.of(
          "select-applet-before-framework",
          "request-no-common-version",
          "request-scrypt-cost",
          "spake2-wrong-m1",
          "spake2-y-not-on-curve",
          "order-verify-before-request",
          "order-write-data-after-end",
          "order-create-twice",
          "order-get-data-before-key",
          "order-get-response-without-chain",
          "order-end-before-attestation",
          "stream-create-before-end",
          "stream-no-attestation",
          "stream-oversize",
          "sm-bad-cmac",
          "abort-mid-phase-2",
          "auth1-bad-signature",
          "auth1-replay");

  @Test
  @DisplayName("the catalogue keeps every scenario of issue 8, in their order, each once")
  void issue8ScenariosStay() {
    List<String> names = Scenarios.names();
    assertEquals(names.size(), new HashSet<>(names).size(), "a name twice: " + names);
    assertEquals(ISSUE_8, names.stream().filter(ISSUE_8::contains).toList());
  }

  @Test
  @DisplayName("every scenario has a name, a title, a deviation and a required reaction")
  void catalogue() {
    List<ConformanceScenario> all = Scenarios.all();
    for (ConformanceScenario s : all) {
      org.junit.jupiter.api.Assertions.assertTrue(s.name().matches("[a-z0-9-]+"), s.name());
      org.junit.jupiter.api.Assertions.assertFalse(s.title().isBlank(), s.name());
      org.junit.jupiter.api.Assertions.assertFalse(s.deviation().isBlank(), s.name());
      org.junit.jupiter.api.Assertions.assertTrue(
          s.requiredReaction().contains("§"), s.name() + " cites the contract");
    }
  }
}
