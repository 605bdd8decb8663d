package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.report.ApduLog;
import dev.dkrig.testing.Vectors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * §17.4.6: the vehicle against the virtual device in test mode (§18.2) reproduces T1's 28 APDUs
 * byte for byte, through the same wiring {@code dkrig pair --test-mode} uses.
 */
class T1TranscriptTest {

  @Test
  @DisplayName("T1: 28 APDUs byte for byte, verdict PASS")
  void reproducesTranscript(@TempDir Path state) {
    PairRequest request = PairRequest.defaults(state, new RunListener() {}).withTestMode(true);
    Bench.Run run = Bench.load(request).prepare();
    PairingOutcome outcome = run.execute();

    List<Vectors.Exchange> expected = Vectors.transcript();
    List<ApduLog.Entry> actual = run.apdus().entries();
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      Vectors.Exchange e = expected.get(i);
      ApduLog.Entry a = actual.get(i);
      assertEquals(
          Hex.encode(e.command()),
          Hex.encode(a.command().bytes()),
          "C-APDU " + (i + 1) + " " + e.note());
      assertEquals(
          Hex.encode(e.response()),
          Hex.encode(a.response().bytes()),
          "R-APDU " + (i + 1) + " " + e.note());
    }
    assertEquals(28, actual.size(), "number of APDUs");
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertEquals(Step.catalogue(), outcome.results().stream().map(StepResult::step).toList());
  }
}
