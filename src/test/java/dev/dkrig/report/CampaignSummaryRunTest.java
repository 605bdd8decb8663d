package dev.dkrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a summary built from outcomes in memory counts each run exactly as one read back from
 * its dkrig-report/1 JSON (a pad's process) would, so that summary.json keeps its bytes.
 */
class CampaignSummaryRunTest {

  @Test
  @DisplayName("a PASS run: the run from its outcome equals the run read back from its JSON")
  void passFromOutcomeEqualsFromReport(@TempDir Path state) {
    assertSame(PairRequest.defaults(state, new RunListener() {}), "PASS");
  }

  @Test
  @DisplayName("a FAIL run (wrong password at P2.3): the same first problem either way")
  void failFromOutcomeEqualsFromReport(@TempDir Path state) {
    PairRequest d = PairRequest.defaults(state, new RunListener() {});
    PairRequest wrongPassword =
        new PairRequest(
            d.rig(),
            d.profile(),
            d.reader(),
            d.serialPort(),
            d.bleAdapter(),
            Optional.of("87654321"),
            d.deviceQuirks(),
            d.vehicleQuirks(),
            d.timerOverrides(),
            d.noPhase4(),
            d.dut(),
            d.stateDirectory(),
            d.testMode(),
            d.seed(),
            d.dump(),
            d.listener(),
            d.preamble(),
            d.faults());
    CampaignSummary.Run run = assertSame(wrongPassword, "FAIL");
    assertTrue(run.firstProblem().orElseThrow().startsWith("P2.3 FAIL: "), run.firstProblem()::get);
  }

  @Test
  @DisplayName("a run whose files could not load counts as its not-run report does")
  void notRunEqualsFromReport(@TempDir Path state) {
    RunMetadata meta =
        Bench.metadataWithoutFiles(PairRequest.defaults(state, new RunListener() {}));
    String error = "configuration error: rigs/x.yaml: no such file";
    assertEquals(
        CampaignSummary.Run.fromReport(
            4, "reader-a", Optional.of("reader-a"), JsonReport.notRun(meta, "ERROR", error)),
        CampaignSummary.Run.notRun(4, "reader-a", Optional.of("reader-a"), meta, error));
  }

  private static CampaignSummary.Run assertSame(PairRequest request, String verdict) {
    Bench.Run run = Bench.load(request).prepare();
    PairingOutcome outcome = run.execute();
    assertEquals(verdict, outcome.verdict().name());
    RunMetadata meta = run.metadata();
    CampaignSummary.Run fromOutcome =
        CampaignSummary.Run.of(7, "run-0007", Optional.of("run-0007"), outcome, meta, run.apdus());
    CampaignSummary.Run fromReport =
        CampaignSummary.Run.fromReport(
            7, "run-0007", Optional.of("run-0007"), JsonReport.render(outcome, meta, run.apdus()));
    assertFalse(fromOutcome.host().isEmpty(), "the run has turnaround times");
    assertFalse(fromOutcome.steps().isEmpty(), "the run has step times");
    assertEquals(fromReport, fromOutcome);
    return fromOutcome;
  }
}
