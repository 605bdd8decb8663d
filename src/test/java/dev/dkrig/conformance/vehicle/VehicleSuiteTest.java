package dev.dkrig.conformance.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.conformance.Operator;
import dev.dkrig.conformance.ScenarioResult;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.conformance.SuiteOutcome;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4: the vehicle conformance suite (suites/vehicle-conformance.yaml) against dkrig's
 * own vehicle in-process, as {@code pair --repeat N} plays it: every scenario PASSes against the
 * vehicle that follows the contract, and each vehicle quirk makes the scenario it breaks FAIL.
 */
class VehicleSuiteTest {
  private static final Path SUITE = Path.of("suites/vehicle-conformance.yaml");

  /**
   * The vehicle's timers, short so the suite runs in seconds. The vehicle polls phase 4 often
   * relative to T_KtsWait, so the one T_KtsWait the phone judges keeps margins no load breaks.
   */
  private static final Map<TimerName, Duration> VEHICLE_TIMERS =
      Map.of(
          TimerName.T_Apdu, Duration.ofSeconds(1),
          TimerName.T_KtsWait, Duration.ofSeconds(4),
          TimerName.T_KtsPollInterval, Duration.ofMillis(50));

  /**
   * What the phone is given to judge, per scenario: only what a scenario strictly needs, on the
   * real clock. slower-than-t-apdu needs T_Apdu (the phone answers past it; the abort may only be
   * judged too early, which load cannot cause); never-set-sigbmp needs T_KtsWait (4 s ± 400 ms
   * against a vehicle polling every 50 ms). Poll intervals and answer times are judged on the
   * virtual clock in dev.dkrig.phone (PhoneRunTest, PhoneReactionsTest), not here.
   */
  private static final Map<String, Map<String, Duration>> PHONE_TIMERS =
      Map.of(
          "slower-than-t-apdu", Map.of("T_Apdu", Duration.ofSeconds(1)),
          "never-set-sigbmp", Map.of("T_KtsWait", Duration.ofSeconds(4)));

  /** The shipped suite's scenarios, with the timers of {@link #PHONE_TIMERS} in place of its. */
  private static VehicleSuite suite() {
    VehicleSuite shipped = VehicleSuite.load(ConfigSource.file(SUITE));
    List<VehicleSuite.Entry> entries =
        shipped.entries().stream()
            .map(
                e ->
                    new VehicleSuite.Entry(
                        e.scenario(),
                        PHONE_TIMERS.getOrDefault(e.scenario().name(), Map.of()),
                        e.phase4Wait()))
            .toList();
    return new VehicleSuite(
        shipped.source(),
        shipped.bytes(),
        shipped.name(),
        shipped.description(),
        shipped.attemptWait(),
        shipped.restartPrompt(),
        shipped.phase4Wait(),
        Map.of(),
        entries);
  }

  @TempDir Path state;

  private SuiteOutcome run(
      Set<VehicleQuirk> quirks, List<String> only, VehicleSuiteRunner.Options options) {
    VehicleSuite suite = suite();
    if (!only.isEmpty()) {
      suite = suite.only(only);
    }
    try (InProcessVehicle vehicle = new InProcessVehicle(state, quirks, VEHICLE_TIMERS)) {
      return new VehicleSuiteRunner(
              suite,
              vehicle,
              quirk ->
                  new VirtualDevice(
                      DeviceSettings.t1().withQuirks(Set.of(quirk)),
                      SecureDraws.seeded(5),
                      RigClock.system(),
                      RigClock.system()),
              RigClock.system(),
              Operator.none(),
              SuiteListener.none(),
              options,
              ScenarioWire.none())
          .run();
    }
  }

  private SuiteOutcome run(Set<VehicleQuirk> quirks, List<String> only) {
    return run(
        quirks,
        only,
        new VehicleSuiteRunner.Options(
            Map.of(), Optional.of(Duration.ofSeconds(20)), true, 0, false));
  }

  private static Map<String, Verdict> verdicts(SuiteOutcome outcome) {
    return outcome.results().stream()
        .collect(Collectors.toMap(ScenarioResult::label, ScenarioResult::verdict));
  }

  private static String causes(SuiteOutcome outcome) {
    return outcome.results().stream()
        .map(r -> r.label() + " " + r.verdict() + ": " + r.cause().orElse("") + "\n")
        .collect(Collectors.joining());
  }

  @Test
  @DisplayName("every scenario of the suite PASSes against dkrig's own vehicle")
  void allPassAgainstDkrigsVehicle() {
    SuiteOutcome outcome = run(Set.of(), List.of());
    assertEquals(13, outcome.results().size());
    assertEquals(Verdict.PASS, outcome.verdict(), () -> causes(outcome));
    ScenarioResult slow =
        outcome.results().stream()
            .filter(r -> r.label().equals("slower-than-t-apdu"))
            .findFirst()
            .orElseThrow();
    assertTrue(slow.steps().get(1).detail().contains("abort 12 04"), slow.steps().toString());
  }

  @Test
  @DisplayName("ignore-bad-m2: wrong-m2 FAILs (WRITE DATA instead of 12 09)")
  void ignoreBadM2() {
    SuiteOutcome outcome =
        run(EnumSet.of(VehicleQuirk.IGNORE_BAD_M2), List.of("wrong-m2", "wrong-key-slot"));
    assertEquals(Verdict.FAIL, verdicts(outcome).get("wrong-m2"), () -> causes(outcome));
    assertTrue(outcome.results().get(0).cause().orElseThrow().contains("went on with WRITE DATA"));
    assertEquals(Verdict.PASS, verdicts(outcome).get("wrong-key-slot"), () -> causes(outcome));
  }

  @Test
  @DisplayName("wrong-abort-code: the abort scenarios FAIL naming both codes")
  void wrongAbortCode() {
    SuiteOutcome outcome =
        run(
            EnumSet.of(VehicleQuirk.WRONG_ABORT_CODE),
            List.of("wrong-m2", "bad-framework-rmac", "not-ready-first-select"));
    Map<String, Verdict> verdicts = verdicts(outcome);
    assertEquals(Verdict.FAIL, verdicts.get("wrong-m2"), () -> causes(outcome));
    assertEquals(Verdict.FAIL, verdicts.get("bad-framework-rmac"), () -> causes(outcome));
    assertEquals(Verdict.PASS, verdicts.get("not-ready-first-select"), () -> causes(outcome));
    assertTrue(causes(outcome).contains("requires 12 09"), causes(outcome));
  }

  @Test
  @DisplayName("no-abort: the field drops without the abort, the scenario FAILs")
  void noAbort() {
    SuiteOutcome outcome = run(EnumSet.of(VehicleQuirk.NO_ABORT), List.of("bad-applet-rmac"));
    assertEquals(Verdict.FAIL, outcome.verdict(), () -> causes(outcome));
    assertTrue(causes(outcome).contains("without the abort 00 00"), causes(outcome));
  }

  @Test
  @DisplayName("no-retry-after-6a82: not-ready-first-select FAILs (T_NotReadyRetry given)")
  void noRetryAfter6a82() {
    SuiteOutcome outcome =
        run(
            EnumSet.of(VehicleQuirk.NO_RETRY_AFTER_6A82),
            List.of("not-ready-first-select"),
            new VehicleSuiteRunner.Options(
                Map.of("T_NotReadyRetry", Duration.ofSeconds(1)),
                Optional.of(Duration.ofSeconds(20)),
                true,
                0,
                false));
    assertEquals(Verdict.FAIL, outcome.verdict(), () -> causes(outcome));
    assertTrue(causes(outcome).contains("T_NotReadyRetry"), causes(outcome));
  }

  @Test
  @DisplayName("poll-past-kts-wait: never-set-sigbmp FAILs (a transaction past T_KtsWait)")
  void pollPastKtsWait() {
    SuiteOutcome outcome =
        run(EnumSet.of(VehicleQuirk.POLL_PAST_KTS_WAIT), List.of("never-set-sigbmp"));
    assertEquals(Verdict.FAIL, outcome.verdict(), () -> causes(outcome));
    assertTrue(causes(outcome).contains("past T_KtsWait"), causes(outcome));
  }

  @Test
  @DisplayName("§5.6: after the seventh VERIFY the rest ends ERROR asking for a new verifier")
  void attemptBudget() {
    SuiteOutcome outcome =
        run(
            Set.of(),
            List.of("wrong-m2", "bad-applet-rmac"),
            new VehicleSuiteRunner.Options(
                Map.of(), Optional.of(Duration.ofSeconds(20)), false, 6, false));
    Map<String, Verdict> verdicts = verdicts(outcome);
    assertEquals(Verdict.PASS, verdicts.get("wrong-m2"), () -> causes(outcome));
    assertEquals(Verdict.ERROR, verdicts.get("bad-applet-rmac"), () -> causes(outcome));
    assertTrue(causes(outcome).contains("re-provision the vehicle's SPAKE2+ verifier"));
  }

  @Test
  @DisplayName("suite file: role phone required, unknown scenario and timer named (exit 4)")
  void fileMistakes() throws IOException {
    Path file = state.resolve("s.yaml");
    Files.writeString(file, "suite: x\nscenarios:\n  - scenario: wrong-m2\n");
    ConfigException role =
        assertThrows(ConfigException.class, () -> VehicleSuite.load(ConfigSource.file(file)));
    assertTrue(role.getMessage().contains("role"), role.getMessage());
    Files.writeString(file, "suite: x\nrole: phone\nscenarios:\n  - scenario: wrong-m3\n");
    ConfigException name =
        assertThrows(ConfigException.class, () -> VehicleSuite.load(ConfigSource.file(file)));
    assertTrue(name.getMessage().contains("unknown scenario 'wrong-m3'"), name.getMessage());
    Files.writeString(
        file, "suite: x\nrole: phone\ntimers: {T_Apdo: 1s}\nscenarios:\n  - scenario: wrong-m2\n");
    ConfigException timer =
        assertThrows(ConfigException.class, () -> VehicleSuite.load(ConfigSource.file(file)));
    assertTrue(timer.getMessage().contains("timers.T_Apdo"), timer.getMessage());
  }
}
