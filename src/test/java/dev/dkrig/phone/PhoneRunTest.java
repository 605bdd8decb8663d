package dev.dkrig.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phone role against dkrig's own vehicle, in process (docs/phone-role.md). */
class PhoneRunTest {
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
    assertEquals(Result.INFO, bench.phone(Step.P1_6_2).result());
    assertTrue(bench.phone(Step.P1_6_2).detail().contains("no BLE adapter watches"));
    assertEquals(Result.INFO, bench.phone(Step.P3_5).result());
    assertTrue(bench.phone(Step.P3_5).detail().contains("issued a receipt"), bench::describe);
    assertTrue(bench.phoneOutcome.notCompletedByDesign().isEmpty());
    assertEquals(42, bench.heard.size(), bench.heard::toString);
  }
}
