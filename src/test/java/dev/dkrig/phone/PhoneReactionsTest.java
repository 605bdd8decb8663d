package dev.dkrig.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device quirks whose reaction is not an abort (docs/phone-role.md, "Device quirks"), judged by
 * {@code dkrig phone} with the suite's {@link ReactionWatch}: dkrig's own vehicle reacts as
 * required (PASS), a vehicle quirk that breaks the reaction FAILs the reaction's step.
 */
class PhoneReactionsTest {
  @TempDir Path state;

  @Test
  void aRetryAfterTheNotReadyAnswerPassesP21AndThePairingCompletes() throws Exception {
    PhoneBench bench = new PhoneBench(state).deviceQuirk(DeviceQuirk.NOT_READY_FIRST_SELECT).run();
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p21 = bench.phone(Step.P2_1);
    assertEquals(Result.PASS, p21.result(), bench::describe);
    assertTrue(p21.detail().contains("NFC reset, then a new SELECT framework"), bench::describe);
    assertTrue(p21.detail().contains("[device quirk not-ready-first-select]"), p21::detail);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
    assertEquals(Result.PASS, bench.phone(Step.P4_2_3).result(), bench::describe);
  }

  @Test
  void aVehicleThatDoesNotRetryAfterTheNotReadyAnswerFailsP21() throws Exception {
    PhoneBench bench = new PhoneBench(state).deviceQuirk(DeviceQuirk.NOT_READY_FIRST_SELECT);
    bench.vehicleQuirk(VehicleQuirk.NO_RETRY_AFTER_6A82);
    bench.vehicleTimers.put(TimerName.T_NotReadyRetry, Duration.ofMillis(500));
    bench.phone = bench.phone.withTimer("T_NotReadyRetry", Duration.ofMillis(500));
    bench.run();
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p21 = bench.phone(Step.P2_1);
    assertEquals(Result.FAIL, p21.result(), bench::describe);
    assertTrue(p21.detail().endsWith("[device quirk not-ready-first-select]"), p21::detail);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
  }

  @Test
  void aVehicleThatSendsNothingToThePhoneThatLeftPassesP24ByDesign() throws Exception {
    PhoneBench bench = new PhoneBench(state).deviceQuirk(DeviceQuirk.LEAVE_FIELD_MID_STREAM).run();
    String note = "pairing not completed by design (device quirk leave-field-mid-stream)";
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p24 = bench.phone(Step.P2_4);
    assertEquals(Result.PASS, p24.result(), bench::describe);
    assertTrue(p24.detail().startsWith("no abort to the phone that left the field"), p24::detail);
    assertEquals(note, bench.phoneOutcome.notCompletedByDesign().orElseThrow());
    assertEquals("not reached: " + note, bench.phone(Step.P2_5).detail());
    assertEquals(List.of(), bench.phoneOutcome.withResult(Result.FAIL), bench::describe);
    // dkrig's own vehicle lost its tag mid-stream: ERROR, as §18.18 says.
    assertEquals(Verdict.ERROR, bench.vehicleOutcome.verdict(), bench::describe);
  }

  @Test
  void pollingUntilTKtsWaitWithoutExchangePassesP421ByDesign() throws Exception {
    PhoneBench bench = neverSetSigBmp().run();
    String note = "pairing not completed by design (device quirk never-set-sigbmp)";
    assertEquals(Verdict.PASS, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p421 = bench.phone(Step.P4_2_1);
    assertEquals(Result.PASS, p421.result(), bench::describe);
    assertTrue(p421.detail().contains("phase-4 transaction(s) without EXCHANGE"), p421::detail);
    assertEquals(note, bench.phoneOutcome.notCompletedByDesign().orElseThrow());
    assertEquals(Result.PASS, bench.phone(Step.P3_4).result(), bench::describe);
    assertEquals(Result.INFO, bench.phone(Step.P3_5).result(), bench::describe);
    assertEquals("not reached: " + note, bench.phone(Step.P4_2_3).detail());
  }

  @Test
  void pollingPastAGivenTKtsWaitFailsP421() throws Exception {
    PhoneBench bench = neverSetSigBmp().vehicleQuirk(VehicleQuirk.POLL_PAST_KTS_WAIT).run();
    assertEquals(Verdict.FAIL, bench.phoneOutcome.verdict(), bench::describe);
    StepResult p421 = bench.phone(Step.P4_2_1);
    assertEquals(Result.FAIL, p421.result(), bench::describe);
    assertTrue(p421.detail().contains("past T_KtsWait 2000 ms"), p421::detail);
    assertTrue(p421.detail().endsWith("[device quirk never-set-sigbmp]"), p421::detail);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
  }

  /** The phone never sets SigBmp; the vehicle polls at 500 ms until T_KtsWait = 2 s. */
  private PhoneBench neverSetSigBmp() {
    PhoneBench bench = new PhoneBench(state).deviceQuirk(DeviceQuirk.NEVER_SET_SIGBMP);
    bench.vehicleTimers.put(TimerName.T_KtsWait, Duration.ofSeconds(2));
    bench.vehicleTimers.put(TimerName.T_KtsPollInterval, Duration.ofMillis(500));
    bench.phone =
        bench
            .phone
            .withTimer("T_KtsWait", Duration.ofSeconds(2))
            .withTimer("T_KtsPollInterval", Duration.ofMillis(500));
    return bench;
  }
}
