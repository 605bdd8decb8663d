package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.RunContext;
import dev.dkrig.testing.ScriptedReader;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.DecoratingTransport;
import dev.dkrig.transport.FaultInjectingTransport;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.WarmingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The reader under the run's decorators, as {@link Bench#prepare} stacks them: the ACR122U's LEDs
 * and the unfired-fault check need it whatever decorators a run has (the warm-up of issue 20 hid
 * the reader from the LED verdict).
 */
class DecoratedReaderTest {
  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-07T00:00:00Z"));
  private final NfcTransport reader = new ScriptedReader();

  @Test
  void theReaderIsFoundUnderWarmUpFaultsAndEvidence() {
    NfcTransport warmed = WarmingTransport.wrap(reader, WarmingTransport.OFF);
    FaultInjectingTransport faults =
        FaultInjectingTransport.wrap(
            warmed,
            FaultInjectingTransport.Fault.parseAll(List.of("timeout@3")),
            clock,
            Duration.ofSeconds(5),
            text -> {});
    NfcTransport stack = EvidenceTransport.wrap(faults, RunContext.named(), clock);

    assertSame(reader, Bench.reader(stack));
    assertSame(reader, Bench.reader(warmed));
    assertEquals(
        Optional.of(faults), DecoratingTransport.find(stack, FaultInjectingTransport.class));
    assertTrue(DecoratingTransport.find(warmed, FaultInjectingTransport.class).isEmpty());
    assertSame(reader, Bench.reader(reader));
  }
}
