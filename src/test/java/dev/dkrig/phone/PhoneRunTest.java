package dev.dkrig.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The phone role against dkrig's own vehicle, in process (docs/phone-role.md). */
class PhoneRunTest {
  private static final String SELECT_FRAMEWORK = "00A404000DA000000809434343444B467631";

  @TempDir Path state;

  @Test
  void dkrigsOwnVehiclePassesAllFortyTwoStepsFromThePhonesSide() throws Exception {
    PhoneBench bench = new PhoneBench(state).run();
    assertEquals(Verdict.PASS, bench.vehicleOutcome.verdict(), bench::describe);
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(
        Step.catalogue(), bench.phoneOutcome.results().stream().map(StepResult::step).toList());
    assertEquals(List.of(), bench.phoneOutcome.withResult(Result.SKIPPED), bench::describe);
    assertEquals(Result.PASS, bench.phone(Step.P4_2_3).result(), bench::describe);
    for (Step step : List.of(Step.P1_1, Step.P1_2, Step.P1_3, Step.P1_4, Step.P1_5, Step.P1_7)) {
      assertEquals(Result.INFO, bench.phone(step).result(), step.id());
      assertTrue(bench.phone(step).detail().contains("not observable by the phone"), step.id());
    }
    assertTrue(bench.phone(Step.P1_6_2).detail().contains("no BLE adapter watches"));
    assertEquals(Result.INFO, bench.phone(Step.P3_5).result());
    assertTrue(bench.phone(Step.P3_5).detail().contains("issued a receipt"), bench::describe);
    assertTrue(bench.phone(Step.P3_6).detail().contains("HU event"), bench::describe);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
    assertEquals(42, bench.heard.size(), bench.heard::toString);
    assertTrue(bench.phoneOutcome.events().size() > 20);
  }

  @Test
  void withoutPhase4OnBothSidesThePhoneEndsAfterP34() throws Exception {
    PhoneBench bench = new PhoneBench(state).withoutPhase4().run();
    assertEquals(Verdict.PASS, bench.vehicleOutcome.verdict(), bench::describe);
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(Result.PASS, bench.phone(Step.P3_4).result(), bench::describe);
    for (Step step : Step.ofPhase(4)) {
      assertEquals(Result.SKIPPED, bench.phone(step).result(), step.id());
      assertEquals("phase 4 disabled (--no-phase4)", bench.phone(step).detail());
    }
    assertEquals(Result.INFO, bench.phone(Step.P3_6).result(), bench::describe);
  }

  @ParameterizedTest
  @EnumSource(
      value = DeviceQuirk.class,
      names = {"BAD_ENDPOINT_SIGNATURE", "WRONG_KEY_SLOT", "WRONG_VEHICLE_ID_IN_CERTIFICATE"})
  void aVehicleThatReactsToTheQuirkPassesAndThePairingIsNotCompletedByDesign(DeviceQuirk quirk)
      throws Exception {
    PhoneBench bench = new PhoneBench(state).deviceQuirk(quirk).run();
    Step reaction = QuirkReactions.of(quirk).orElseThrow().step();
    String note = "pairing not completed by design (device quirk " + quirk.cliName() + ")";
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(Result.PASS, bench.phone(reaction).result(), bench::describe);
    assertTrue(bench.phone(reaction).detail().contains("as the phone's quirk"), bench::describe);
    assertEquals(QuirkReactions.of(quirk).get().abort(), bench.phone(reaction).abort().getAsInt());
    assertEquals(note, bench.phoneOutcome.notCompletedByDesign().orElseThrow());
    assertEquals(Result.SKIPPED, bench.phone(Step.P4_2_3).result());
    assertEquals("not reached: " + note, bench.phone(Step.P4_2_3).detail());
    assertEquals(Result.SKIPPED, bench.phone(Step.P3_4).result());
    assertEquals(List.of(), bench.phoneOutcome.withResult(Result.FAIL), bench::describe);
  }

  @ParameterizedTest
  @EnumSource(
      value = DeviceQuirk.class,
      names = {"BAD_ENDPOINT_SIGNATURE", "WRONG_KEY_SLOT", "WRONG_VEHICLE_ID_IN_CERTIFICATE"})
  void aVehicleThatSendsNoAbortFailsTheReactionStep(DeviceQuirk quirk) throws Exception {
    PhoneBench bench =
        new PhoneBench(state).deviceQuirk(quirk).vehicleQuirk(VehicleQuirk.NO_ABORT).run();
    Step reaction = QuirkReactions.of(quirk).orElseThrow().step();
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(Result.FAIL, bench.phone(reaction).result(), bench::describe);
    assertTrue(bench.phone(reaction).detail().startsWith("no abort"), bench::describe);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(
      value = DeviceQuirk.class,
      names = {"BAD_ENDPOINT_SIGNATURE", "WRONG_KEY_SLOT", "WRONG_VEHICLE_ID_IN_CERTIFICATE"})
  void aVehicleThatSendsTheWrongAbortCodeFailsTheReactionStep(DeviceQuirk quirk) throws Exception {
    PhoneBench bench =
        new PhoneBench(state).deviceQuirk(quirk).vehicleQuirk(VehicleQuirk.WRONG_ABORT_CODE).run();
    Step reaction = QuirkReactions.of(quirk).orElseThrow().step();
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(Result.FAIL, bench.phone(reaction).result(), bench::describe);
    assertTrue(bench.phone(reaction).detail().startsWith("wrong abort"), bench::describe);
  }

  @Test
  void pieceSizesAreJudgedOnThePlaintextThePhoneUnwrappedNotOnLc() throws Exception {
    // 230-byte pieces have the Lc of 239-byte ones (both pad to 240); the device takes them.
    PhoneBench bench = new PhoneBench(state).vehicleQuirk(VehicleQuirk.SHORT_WRITE_PIECES).run();
    assertEquals(Verdict.PASS, bench.vehicleOutcome.verdict(), bench::describe);
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p24 = bench.phone(Step.P2_4);
    assertEquals(Result.FAIL, p24.result(), bench::describe);
    assertEquals(
        "WRITE DATA piece 1 (P1 = 00) carries 230 plaintext bytes: every piece but the last"
            + " carries 239, the last 1–239 (§7.6; answered 9000)",
        p24.detail());
  }

  @Test
  void aVehicleThatPollsPastTKtsWaitFailsP421() throws Exception {
    PhoneBench bench = pollingWithoutReceipt().vehicleQuirk(VehicleQuirk.POLL_PAST_KTS_WAIT).run();
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p421 = bench.phone(Step.P4_2_1);
    assertEquals(Result.FAIL, p421.result(), bench::describe);
    assertTrue(p421.detail().contains("too late for T_KtsWait = 2000 ms"), bench::describe);
  }

  @Test
  void aVehicleThatStopsPollingAtTKtsWaitIsNotFailed() throws Exception {
    PhoneBench bench = pollingWithoutReceipt().run();
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    assertEquals(Result.INFO, bench.phone(Step.P4_2_1).result(), bench::describe);
    assertEquals(Result.PASS, bench.phone(Step.P4_1).result(), bench::describe);
  }

  /** A KTS that never issues in time: the vehicle polls phase 4 at 500 ms until T_KtsWait. */
  private PhoneBench pollingWithoutReceipt() {
    PhoneBench bench = new PhoneBench(state);
    bench.device = bench.device.withDelays(Duration.ofHours(1), Duration.ZERO);
    bench.vehicleTimers.put(TimerName.T_KtsWait, Duration.ofSeconds(2));
    bench.vehicleTimers.put(TimerName.T_KtsPollInterval, Duration.ofMillis(500));
    bench.phone =
        bench
            .phone
            .withTimer("T_KtsWait", Duration.ofSeconds(2))
            .withTimer("T_KtsPollInterval", Duration.ofMillis(500));
    return bench;
  }

  @Test
  void anAbortForNoCommonSpake2VersionIsRightWhenThePhoneOffersNoneOfSection16s() throws Exception {
    PhoneBench bench = new PhoneBench(state);
    bench.device = bench.device.withVersions(List.of(0x0200), List.of(0x0101, 0x0100));
    bench.run();
    StepResult p22 = bench.phone(Step.P2_2);
    assertEquals(Result.PASS, p22.result(), bench::describe);
    assertTrue(p22.detail().startsWith("the vehicle aborted 12 01"), p22.detail());
    assertEquals(0x1201, p22.abort().getAsInt());
    assertEquals(Result.SKIPPED, bench.phone(Step.P2_3).result());
    assertTrue(bench.phone(Step.P2_3).detail().contains("no common version"), bench::describe);
  }

  // ---- timers, with the clock moved between commands ----

  @Test
  void aGapInsideTheToleranceOfAGivenTimerPasses() throws Exception {
    PhoneBench bench =
        new PhoneBench(state).delayBefore(nth(SELECT_FRAMEWORK, 2), Duration.ofMillis(1080));
    bench.phone = bench.phone.withTimer("T_TxGap", Duration.ofSeconds(1));
    bench.run();
    assertEquals(Result.PASS, bench.phone(Step.P2_5).result(), bench::describe);
    assertTrue(
        bench.phone(Step.P2_5).detail().contains("1080 ms (T_TxGap 1000 ms ± 100 ms)"),
        bench::describe);
  }

  @Test
  void aGapPastTheToleranceOfAGivenTimerFailsNamingTimerMeasuredAndTolerance() throws Exception {
    PhoneBench bench =
        new PhoneBench(state).delayBefore(nth(SELECT_FRAMEWORK, 2), Duration.ofMillis(1120));
    bench.phone = bench.phone.withTimer("T_TxGap", Duration.ofSeconds(1));
    bench.run();
    StepResult p25 = bench.phone(Step.P2_5);
    assertEquals(Result.FAIL, p25.result(), bench::describe);
    assertEquals(
        "transaction-2 SELECT after 10 01: 1120 ms: too late for T_TxGap = 1000 ms"
            + " (tolerance 100 ms)",
        p25.detail());
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict());
  }

  @Test
  void aGapWithoutAGivenTimerIsOnlyMeasured() throws Exception {
    PhoneBench bench =
        new PhoneBench(state).delayBefore(nth(SELECT_FRAMEWORK, 2), Duration.ofMillis(5000));
    bench.run();
    assertEquals(Result.PASS, bench.phone(Step.P2_5).result(), bench::describe);
    assertTrue(
        bench.phone(Step.P2_5).detail().contains("5.000 s (T_TxGap not given: not judged)")
            || bench.phone(Step.P2_5).detail().contains("5000 ms (T_TxGap not given: not judged)"),
        bench::describe);
  }

  @Test
  void aPollIntervalOffAGivenTKtsPollIntervalFailsP41() throws Exception {
    PhoneBench bench = new PhoneBench(state);
    bench.phone = bench.phone.withTimer("T_KtsPollInterval", Duration.ofMillis(500));
    bench.run();
    StepResult p41 = bench.phone(Step.P4_1);
    assertEquals(Result.FAIL, p41.result(), bench::describe);
    assertTrue(p41.detail().contains("too early for T_KtsPollInterval = 500 ms"), bench::describe);
  }

  @Test
  void retriesOfASelectTheNotReadyPhoneRefusedAreJudgedAgainstAGivenTNotReadyRetry()
      throws Exception {
    PhoneBench inTolerance = notReadyPhone(Duration.ofMillis(500)).run();
    StepResult waited = inTolerance.phone(Step.P2_1);
    // The retries came on time; the vehicle gave up when its pairing mode ended, and the phone
    // waited one T_NotReadyRetry (with its tolerance) for another.
    assertEquals(Result.FAIL, waited.result(), inTolerance::describe);
    assertTrue(waited.detail().startsWith("no retry of the SELECT framework"), waited.detail());

    PhoneBench tooSlow = notReadyPhone(Duration.ofMillis(200)).run();
    StepResult late = tooSlow.phone(Step.P2_1);
    assertEquals(Result.FAIL, late.result(), tooSlow::describe);
    assertEquals(
        "retry of SELECT framework 500 ms: too late for T_NotReadyRetry = 200 ms (tolerance 100"
            + " ms)",
        late.detail());
  }

  /** A phone without a password answers D4 = 00; the vehicle retries every 500 ms for 2 s. */
  private PhoneBench notReadyPhone(Duration givenRetry) {
    PhoneBench bench = new PhoneBench(state.resolve(givenRetry.toMillis() + "ms"));
    bench.device = bench.device.withPassword(null);
    bench.vehicleTimers.put(TimerName.T_NotReadyRetry, Duration.ofMillis(500));
    bench.vehicleTimers.put(TimerName.T_PairingModeTimeout, Duration.ofSeconds(2));
    bench.phone = bench.phone.withTimer("T_NotReadyRetry", givenRetry);
    return bench;
  }

  // ---- the field ----

  @Test
  void theFieldLostMidStreamFailsP24NamingTheLastCommand() throws Exception {
    PhoneBench bench = new PhoneBench(state);
    AtomicInteger writes = new AtomicInteger();
    bench.between =
        card ->
            new PhoneBench.Forwarding(card) {
              @Override
              public byte[] process(byte[] command) {
                if (Hex.encode(command).startsWith("84D4") && writes.incrementAndGet() == 3) {
                  deactivate();
                  return null;
                }
                return super.process(command);
              }
            };
    bench.run();
    StepResult p24 = bench.phone(Step.P2_4);
    assertEquals(Result.FAIL, p24.result(), bench::describe);
    assertEquals(
        "field lost after WRITE DATA piece 2, before the P1 = 80 piece (the vehicle dropped the"
            + " session; §3.2)",
        p24.detail());
    assertEquals(Result.SKIPPED, bench.phone(Step.P2_5).result());
    assertEquals("not reached: P2.4 FAIL", bench.phone(Step.P2_5).detail());
  }

  /** The {@code n}th command whose hex starts with {@code prefix}. */
  private static Predicate<byte[]> nth(String prefix, int n) {
    AtomicInteger seen = new AtomicInteger();
    return command -> Hex.encode(command).startsWith(prefix) && seen.incrementAndGet() == n;
  }
}
