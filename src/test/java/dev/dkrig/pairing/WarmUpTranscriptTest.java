package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.bench.WarmUp;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.WarmingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: a pairing whose reader waits for the device, with the warm-up running meanwhile, sends
 * and receives exactly what the same seeded pairing does without it: the warm-up touches neither
 * the run's random stream nor its state.
 */
class WarmUpTranscriptTest {
  @TempDir Path dir;

  /** The first polls find nothing, as while the phone is still in the owner's hand. */
  private static UnaryOperator<NfcTransport> emptyPolls(int polls) {
    return inner ->
        new NfcTransport() {
          int left = polls;

          @Override
          public String description() {
            return inner.description();
          }

          @Override
          public void startPolling() {
            inner.startPolling();
          }

          @Override
          public boolean awaitTarget(Duration wait) throws InterruptedException {
            if (left > 0) {
              left--;
              Thread.sleep(100);
              return false;
            }
            return inner.awaitTarget(wait);
          }

          @Override
          public ResponseApdu transmit(CommandApdu command) {
            return inner.transmit(command);
          }

          @Override
          public void reset() {
            inner.reset();
          }

          @Override
          public void stopPolling() {
            inner.stopPolling();
          }

          @Override
          public void close() {
            inner.close();
          }
        };
  }

  private List<String> transcript(Scenario scenario) {
    PairingOutcome outcome = scenario.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    return scenario.apdus.entries().stream()
        .map(e -> Hex.encode(e.command().bytes()) + " " + Hex.encode(e.response().bytes()))
        .toList();
  }

  @Test
  @DisplayName("with and without the warm-up while the reader waits: the same APDUs, byte for byte")
  void sameTranscript() {
    Scenario plain = new Scenario(dir.resolve("plain"));
    plain.wrapTransport = emptyPolls(3);
    Scenario warmed = new Scenario(dir.resolve("warmed"));
    WarmUp warmUp = WarmUp.create();
    warmed.wrapTransport = t -> WarmingTransport.wrap(emptyPolls(3).apply(t), warmUp);
    assertEquals(transcript(plain), transcript(warmed));
  }
}
